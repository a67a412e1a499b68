    'Authorization' colon { lx->field = 0; goto value; }
    'If-None-Match' colon { lx->field = 1; goto value; }
