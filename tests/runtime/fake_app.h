/* fake_app.h - the test double for generated code; see fake_app.c. */
#ifndef FAKE_APP_H
#define FAKE_APP_H

#include "tr_app.h"

extern const struct tr_app tr_fake_app;

#endif
