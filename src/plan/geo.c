/*
 * geo: haversine and Euclidean distances, travel times by zone.
 *
 * The haversine formula (R. W. Sinnott, "Virtues of the Haversine", Sky and
 * Telescope 68(2), 1984, p. 159) stays accurate for short distances, where
 * the spherical law of cosines loses precision; on a sphere of the mean
 * Earth radius its error against the ellipsoid stays within about 0.5 %.
 */
#include "plan/geo.h"

#include <math.h>
#include <string.h>

#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

double geo_haversine(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * DEG_TO_RAD, p2 = lat2 * DEG_TO_RAD;
	double sdp = sin((p2 - p1) / 2);
	double sdl = sin((lon2 - lon1) * DEG_TO_RAD / 2);
	double a = sdp * sdp + cos(p1) * cos(p2) * sdl * sdl;
	if (a > 1)
		a = 1;
	return 2 * GEO_EARTH_RADIUS_M * asin(sqrt(a));
}

double geo_euclid(double x1, double y1, double x2, double y2)
{
	double dx = x2 - x1, dy = y2 - y1;
	/* sqrt is correctly rounded: integer coordinates give exact integer distances. */
	return sqrt(dx * dx + dy * dy);
}

/*
 * Defaults. Circuity 1.3: road distance over straight distance is usually
 * between about 1.2 and 1.4 within countries (R. H. Ballou, H. Rahardja,
 * N. Sakai, "Selected country circuity factors for road travel distance
 * estimation", Transportation Research Part A 36 (2002) 843-848). Speeds
 * of 20 / 30 / 40 km/h for urban / suburban / rural door-to-door trips by
 * motorbike are the project's planning assumption, not a measurement;
 * callers should pass their own.
 */
struct geo_travel geo_travel_default(void)
{
	struct geo_travel t = {1.3, {20.0, 30.0, 40.0}};
	return t;
}

int geo_travel_valid(const struct geo_travel *t)
{
	if (!t || !isfinite(t->circuity) || !(t->circuity >= 1.0))
		return 0;
	for (int z = 0; z < GEO_ZONE__COUNT; z++)
		if (!isfinite(t->speed_kmh[z]) || !(t->speed_kmh[z] > 0))
			return 0;
	return 1;
}

static double speed(const struct geo_travel *t, enum geo_zone z)
{
	if ((int)z < 0 || z >= GEO_ZONE__COUNT)
		z = GEO_ZONE_URBAN;
	return t->speed_kmh[z];
}

double geo_travel_minutes(const struct geo_travel *t, double metres, enum geo_zone z)
{
	/* metres x circuity / (km/h x 1000 / 60) */
	return metres * t->circuity * 60.0 / (speed(t, z) * 1000.0);
}

double geo_travel_reach(const struct geo_travel *t, double minutes, enum geo_zone z)
{
	return minutes * speed(t, z) * 1000.0 / (60.0 * t->circuity);
}

static const char *const zone_names[GEO_ZONE__COUNT] = {"urban", "suburban", "rural"};

int geo_zone_parse(const char *name)
{
	if (!name)
		return -1;
	for (int z = 0; z < GEO_ZONE__COUNT; z++)
		if (strcmp(name, zone_names[z]) == 0)
			return z;
	return -1;
}

const char *geo_zone_name(enum geo_zone z)
{
	if ((int)z < 0 || z >= GEO_ZONE__COUNT)
		return "unknown";
	return zone_names[z];
}
