# TinyrouteGenerate.cmake - tinyroute_add_server(), filled in below.
