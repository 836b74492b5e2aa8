#ifndef FWA_CLIBPQ_SHIM_H
#define FWA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
