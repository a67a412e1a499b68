    "GET " { rq->method = TR_GET; goto target; }
    "POST " { rq->method = TR_POST; goto target; }
    "OPTIONS " { rq->method = TR_OPTIONS; goto target; }
