/*
 * geo: distances and travel times for network planning.
 *
 * Great-circle distance (haversine) between latitude/longitude points on a
 * sphere of the Earth's mean radius, Euclidean distance between projected
 * points in metres, and travel time estimated as road distance = straight
 * distance x circuity, driven at a speed that depends on the zone (urban,
 * suburban, rural) of the place the trip starts from.
 */
#ifndef MOTCUA_PLAN_GEO_H
#define MOTCUA_PLAN_GEO_H

/*
 * Mean Earth radius R1 = (2a + b) / 3 of the WGS 84 / GRS 80 ellipsoid,
 * 6,371,008.8 m: H. Moritz, "Geodetic Reference System 1980", Journal of
 * Geodesy 74 (2000) 128-133, table of derived constants (mean radius R1).
 */
#define GEO_EARTH_RADIUS_M 6371008.8

enum geo_zone { GEO_ZONE_URBAN = 0, GEO_ZONE_SUBURBAN = 1, GEO_ZONE_RURAL = 2, GEO_ZONE__COUNT };

/*
 * Travel-time parameters. circuity >= 1 is the ratio of road distance to
 * straight-line distance; speed_kmh[z] > 0 the average door-to-door speed in
 * zone z. These are the user's assumptions; geo_travel_default() gives the
 * defaults documented there.
 */
struct geo_travel {
	double circuity;
	double speed_kmh[GEO_ZONE__COUNT];
};

/* Great-circle distance in metres between (lat1, lon1) and (lat2, lon2) in degrees. */
double geo_haversine(double lat1, double lon1, double lat2, double lon2);

/* Euclidean distance between (x1, y1) and (x2, y2) (metres in, metres out). */
double geo_euclid(double x1, double y1, double x2, double y2);

/*
 * Default travel parameters: circuity 1.3 and speeds 20 / 30 / 40 km/h
 * (urban / suburban / rural). Assumptions to be replaced by local
 * measurements; see the function's comment in geo.c.
 */
struct geo_travel geo_travel_default(void);

/* True when circuity >= 1 and every speed is finite and > 0. */
int geo_travel_valid(const struct geo_travel *t);

/* Travel time in minutes over a straight-line distance in metres from zone z. */
double geo_travel_minutes(const struct geo_travel *t, double metres, enum geo_zone z);

/* Straight-line distance in metres that can be covered in `minutes` from zone z. */
double geo_travel_reach(const struct geo_travel *t, double minutes, enum geo_zone z);

/* Zone from its name ("urban", "suburban", "rural"); returns -1 when unknown. */
int geo_zone_parse(const char *name);

/* Name of a zone ("urban", ...); "unknown" out of range. */
const char *geo_zone_name(enum geo_zone z);

#endif
