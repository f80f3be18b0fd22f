/*
 * api_indicators: the route table of the indicators resource
 * (api_indicators.c), registered by api.c.
 */
#ifndef MOTCUA_API_API_INDICATORS_H
#define MOTCUA_API_API_INDICATORS_H

#include <stddef.h>

#include "http/router.h"

extern const struct http_route api_indicator_routes[];
extern const size_t api_indicator_nroutes;

#endif
