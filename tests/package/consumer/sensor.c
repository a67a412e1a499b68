/* sensor.c - the handlers of sensor.routes. */
#include "sensor_routes.h"

void sensor_root(tr_res *res)
{
    tr_res_content_type(res, "text/plain");
    tr_res_puts(res, "sensor ok");
}

void sensor_reading(tr_res *res, uint64_t id)
{
    tr_res_content_type(res, "text/plain");
    tr_res_int(res, (int64_t)(id * 10));
}
