/*
 * lunar: the Vietnamese lunisolar calendar (âm lịch) computed from the
 * positions of the Sun and the Moon, for the meridian of UTC+7.
 *
 * Astronomy (Jean Meeus, "Astronomical Algorithms", 2nd ed., 1998):
 * - new moons: chapter 49, the mean phase of lunation number k (k = 0 is the
 *   new moon of 2000-01-06) with its periodic and planetary corrections
 *   (accurate to well under a minute);
 * - the Sun's apparent longitude: chapter 32 with the truncated VSOP87 series of
 *   the Earth of appendix III, reduced to FK5, plus nutation in longitude
 *   (chapter 22, main terms) and aberration (chapter 25); the short formula of
 *   chapter 25 answers first, and the full series only when the short one is
 *   too close to a multiple of 30 degrees to decide;
 * - ΔT = TT - UT: the polynomials of Espenak and Meeus (NASA, 2006).
 *
 * Calendar rules (the Vietnamese calendar since 1968, computed for UTC+7):
 * - a month begins on the local day of a new moon;
 * - month 11 is the month that contains the day of the December solstice (the
 *   Sun's apparent longitude reaching 270 degrees);
 * - when 13 months start between one month 11 and the next, the first of them
 *   after month 11 that contains no major solar term (trung khí: a longitude
 *   that is a multiple of 30 degrees) is the leap month; it takes the number of
 *   the month before it.
 * A month "contains" an instant when the instant falls between the local
 * midnight that starts the month and the local midnight that starts the next.
 *
 * Everything is computed per call from day counts (days since 1970-01-01;
 * Julian Day Number = days + VNTIME_JDN_EPOCH); nothing is cached, so the module
 * is pure and thread-safe. A conversion evaluates some ten new moons (more in
 * a year with a leap month), mostly with a short series, and a few solar
 * longitudes, mostly with the short formula: a few microseconds.
 */
#include "domain/lunar.h"

#include <math.h>
#include <stdio.h>

#include "base/vntime.h"

#define PI            3.14159265358979323846
#define RAD           (PI / 180.0)
#define J2000         2451545.0     /* JDE of 2000-01-01 12:00 TT */
#define LOCAL_OFFSET  (7.0 / 24.0)  /* UTC+7 as a fraction of a day */
#define SYNODIC_MONTH 29.530588861  /* mean lunation in days (Meeus 49.1) */
#define NEW_MOON_K0   2451550.09766 /* JDE of mean new moon k = 0 (Meeus 49.1) */

/* The solar days that the conversions accept (see lunar.h). */
#define FIRST_DAY_SUPPORTED (vntime_days_from_civil(LUNAR_MIN_YEAR, 1, 1))
#define LAST_DAY_SUPPORTED  (vntime_days_from_civil(LUNAR_MAX_YEAR, 12, 31))

/*
 * Largest difference between the short solar formula and the full series over
 * 1795..2205, measured at 0.0107 degree (planetary perturbations and secular
 * drift left out of the short formula); the margin keeps a factor of almost 5.
 */
#define SHORT_FORMULA_MARGIN 0.05

/* Reduces an angle in degrees to [0, 360). */
static double norm360(double deg)
{
	double r = fmod(deg, 360.0);
	return r < 0 ? r + 360.0 : r;
}

/*
 * ΔT = TT - UT in days for a Julian Day, from the polynomial expressions of
 * F. Espenak and J. Meeus, "Five Millennium Canon of Solar Eclipses" (NASA
 * TP-2006-214141), section "Polynomial expressions for Delta T".
 */
static double delta_t(double jd)
{
	double y = 2000.0 + (jd - J2000) / 365.25;
	double t, s;
	if (y < 1800) {
		t = y - 1700;
		s = 8.83 + 0.1603 * t - 0.0059285 * t * t + 0.00013336 * t * t * t -
		    t * t * t * t / 1174000.0;
	} else if (y < 1860) {
		t = y - 1800;
		s = 13.72 + t * (-0.332447 +
		                 t * (0.0068612 +
		                      t * (0.0041116 +
		                           t * (-0.00037436 +
		                                t * (0.0000121272 +
		                                     t * (-0.0000001699 + t * 0.000000000875))))));
	} else if (y < 1900) {
		t = y - 1860;
		s = 7.62 +
		    t * (0.5737 +
		         t * (-0.251754 + t * (0.01680668 + t * (-0.0004473624 + t / 233174.0))));
	} else if (y < 1920) {
		t = y - 1900;
		s = -2.79 + t * (1.494119 + t * (-0.0598939 + t * (0.0061966 - t * 0.000197)));
	} else if (y < 1941) {
		t = y - 1920;
		s = 21.20 + t * (0.84493 + t * (-0.076100 + t * 0.0020936));
	} else if (y < 1961) {
		t = y - 1950;
		s = 29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0;
	} else if (y < 1986) {
		t = y - 1975;
		s = 45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0;
	} else if (y < 2005) {
		t = y - 2000;
		s = 63.86 +
		    t * (0.3345 +
		         t * (-0.060374 + t * (0.0017275 + t * (0.000651814 + t * 0.00002373599))));
	} else if (y < 2050) {
		t = y - 2000;
		s = 62.92 + 0.32217 * t + 0.005589 * t * t;
	} else {
		double u = (y - 1820) / 100.0;
		s = -20 + 32 * u * u;
		if (y < 2150)
			s -= 0.5628 * (2150 - y);
	}
	return s / 86400.0;
}

/*
 * JDE (TT) of the new moon of lunation k (Meeus, chapter 49: formula 49.1 and
 * the corrections for a new moon, with the fourteen planetary arguments).
 * With full = false only the six largest corrections are applied; the terms
 * left out add up to less than NEW_MOON_TAIL days (0.00637 + 0.00129).
 */
#define NEW_MOON_TAIL 0.0077
static double new_moon_jde(int k, bool full)
{
	double kk = k;
	double t = kk / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	double jde = NEW_MOON_K0 + SYNODIC_MONTH * kk + 0.00015437 * t2 - 0.000000150 * t3 +
	             0.00000000073 * t4;
	double e = 1 - 0.002516 * t - 0.0000074 * t2;
	double m = RAD * (2.5534 + 29.10535670 * kk - 0.0000014 * t2 - 0.00000011 * t3);
	double mp = RAD * (201.5643 + 385.81693528 * kk + 0.0107582 * t2 + 0.00001238 * t3 -
	                   0.000000058 * t4);
	double f = RAD * (160.7108 + 390.67050284 * kk - 0.0016118 * t2 - 0.00000227 * t3 +
	                  0.000000011 * t4);

	jde += -0.40720 * sin(mp) + 0.17241 * e * sin(m) + 0.01608 * sin(2 * mp) +
	       0.01039 * sin(2 * f) + 0.00739 * e * sin(mp - m) - 0.00514 * e * sin(mp + m);
	if (!full)
		return jde;

	/* The tail: |coefficients| sum to 0.00631 day, times E^2 <= 1.01 at most. */
	double om = RAD * (124.7746 - 1.56375588 * kk + 0.0020672 * t2 + 0.00000215 * t3);
	jde += 0.00208 * e * e * sin(2 * m) - 0.00111 * sin(mp - 2 * f) -
	       0.00057 * sin(mp + 2 * f) + 0.00056 * e * sin(2 * mp + m) - 0.00042 * sin(3 * mp) +
	       0.00042 * e * sin(m + 2 * f) + 0.00038 * e * sin(m - 2 * f) -
	       0.00024 * e * sin(2 * mp - m) - 0.00017 * sin(om) - 0.00007 * sin(mp + 2 * m) +
	       0.00004 * sin(2 * mp - 2 * f) + 0.00004 * sin(3 * m) +
	       0.00003 * sin(mp + m - 2 * f) + 0.00003 * sin(2 * mp + 2 * f) -
	       0.00003 * sin(mp + m + 2 * f) + 0.00003 * sin(mp - m + 2 * f) -
	       0.00002 * sin(mp - m - 2 * f) - 0.00002 * sin(3 * mp + m) + 0.00002 * sin(4 * mp);

	/* Planetary arguments A1..A14 (degrees) and coefficients (1e-6 day, 0.00129 in all). */
	static const struct {
		double a0, ak, coef;
	} planetary[14] = {
	        {299.77, 0.107408, 325},  {251.88, 0.016321, 165}, {251.83, 26.651886, 164},
	        {349.42, 36.412478, 126}, {84.66, 18.206239, 110}, {141.74, 53.303771, 62},
	        {207.14, 2.453732, 60},   {154.84, 7.306860, 56},  {34.52, 27.261239, 47},
	        {207.19, 0.121824, 42},   {291.34, 1.844379, 40},  {161.72, 24.198154, 37},
	        {239.56, 25.513099, 35},  {331.55, 3.592518, 23},
	};
	double a = 0;
	for (int i = 0; i < 14; i++) {
		double arg = planetary[i].a0 + planetary[i].ak * kk;
		if (i == 0)
			arg -= 0.009173 * t2;
		a += planetary[i].coef * sin(RAD * arg);
	}
	return jde + a * 1e-6;
}

/*
 * Local (UTC+7) day, as days since 1970-01-01, on which lunation k begins.
 * The short sum decides unless it falls within twice its error bound of a
 * local midnight.
 */
static int64_t new_moon_day(int k)
{
	double jde = new_moon_jde(k, false);
	double local = jde - delta_t(jde) + LOCAL_OFFSET + 0.5; /* midnight at integers */
	double frac = local - floor(local);
	if (frac < 2 * NEW_MOON_TAIL || frac > 1 - 2 * NEW_MOON_TAIL) {
		jde = new_moon_jde(k, true);
		local = jde - delta_t(jde) + LOCAL_OFFSET + 0.5;
	}
	return (int64_t)floor(local) - VNTIME_JDN_EPOCH;
}

/*
 * Terms of the VSOP87 (Bretagnon and Francou, 1988) series of the Earth's
 * heliocentric longitude as truncated in Meeus, appendix III: amplitude in
 * 1e-8 radian, phase in radians, frequency in radians per Julian millennium.
 */
struct vsop_term {
	double a, b, c;
};

static const struct vsop_term earth_l0[] = {
        {175347046, 0, 0},
        {3341656, 4.6692568, 6283.0758500},
        {34894, 4.62610, 12566.15170},
        {3497, 2.7441, 5753.3849},
        {3418, 2.8289, 3.5231},
        {3136, 3.6277, 77713.7715},
        {2676, 4.4181, 7860.4194},
        {2343, 6.1352, 3930.2097},
        {1324, 0.7425, 11506.7698},
        {1273, 2.0371, 529.6910},
        {1199, 1.1096, 1577.3435},
        {990, 5.233, 5884.927},
        {902, 2.045, 26.298},
        {857, 3.508, 398.149},
        {780, 1.179, 5223.694},
        {753, 2.533, 5507.553},
        {505, 4.583, 18849.228},
        {492, 4.205, 775.523},
        {357, 2.920, 0.067},
        {317, 5.849, 11790.629},
        {284, 1.899, 796.298},
        {271, 0.315, 10977.079},
        {243, 0.345, 5486.778},
        {206, 4.806, 2544.314},
        {205, 1.869, 5573.143},
        {202, 2.458, 6069.777},
        {156, 0.833, 213.299},
        {132, 3.411, 2942.463},
        {126, 1.083, 20.775},
        {115, 0.645, 0.980},
        {103, 0.636, 4694.003},
        {102, 0.976, 15720.839},
        {102, 4.267, 7.114},
        {99, 6.21, 2146.17},
        {98, 0.68, 155.42},
        {86, 5.98, 161000.69},
        {85, 1.30, 6275.96},
        {85, 3.67, 71430.70},
        {80, 1.81, 17260.15},
        {79, 3.04, 12036.46},
        {75, 1.76, 5088.63},
        {74, 3.50, 3154.69},
        {74, 4.68, 801.82},
        {70, 0.83, 9437.76},
        {62, 3.98, 8827.39},
        {61, 1.82, 7084.90},
        {57, 2.78, 6286.60},
        {56, 4.39, 14143.50},
        {56, 3.47, 6279.55},
        {52, 0.19, 12139.55},
        {52, 1.33, 1748.02},
        {51, 0.28, 5856.48},
        {49, 0.49, 1194.45},
        {41, 5.37, 8429.24},
        {41, 2.40, 19651.05},
        {39, 6.17, 10447.39},
        {37, 6.04, 10213.29},
        {37, 2.57, 1059.38},
        {36, 1.71, 2352.87},
        {36, 1.78, 6812.77},
        {33, 0.59, 17789.85},
        {30, 0.44, 83996.85},
        {30, 2.74, 1349.87},
        {25, 3.16, 4690.48},
};

static const struct vsop_term earth_l1[] = {
        {628331966747.0, 0, 0},     {206059, 2.678235, 6283.075850},
        {4303, 2.6351, 12566.1517}, {425, 1.590, 3.523},
        {119, 5.796, 26.298},       {109, 2.966, 1577.344},
        {93, 2.59, 18849.23},       {72, 1.14, 529.69},
        {68, 1.87, 398.15},         {67, 4.41, 5507.55},
        {59, 2.89, 5223.69},        {56, 2.17, 155.42},
        {45, 0.40, 796.30},         {36, 0.47, 775.52},
        {29, 2.65, 7.11},           {21, 5.34, 0.98},
        {19, 1.85, 5486.78},        {19, 4.97, 213.30},
        {17, 2.99, 6275.96},        {16, 0.03, 2544.31},
        {16, 1.43, 2146.17},        {15, 1.21, 10977.08},
        {12, 2.83, 1748.02},        {12, 3.26, 5088.63},
        {12, 5.27, 1194.45},        {12, 2.08, 4694.00},
        {11, 0.77, 553.57},         {10, 1.30, 6286.60},
        {10, 4.24, 1349.87},        {9, 2.70, 242.73},
        {9, 5.64, 951.72},          {8, 5.30, 2352.87},
        {6, 2.65, 9437.76},         {6, 4.67, 4690.48},
};

static const struct vsop_term earth_l2[] = {
        {52919, 0, 0},     {8720, 1.0721, 6283.0758}, {309, 0.867, 12566.152}, {27, 0.05, 3.52},
        {16, 5.19, 26.30}, {16, 3.68, 155.42},        {10, 0.76, 18849.23},    {9, 2.06, 77713.77},
        {7, 0.83, 775.52}, {5, 4.66, 1577.34},        {4, 1.03, 7.11},         {4, 3.44, 5573.14},
        {3, 5.14, 796.30}, {3, 6.05, 5507.55},        {3, 1.19, 242.73},       {3, 6.12, 529.69},
        {3, 0.31, 398.15}, {3, 2.28, 553.57},         {2, 4.38, 5223.69},      {2, 3.75, 0.98},
};

static const struct vsop_term earth_l3[] = {
        {289, 5.844, 6283.076}, {35, 0, 0},          {17, 5.49, 12566.15}, {3, 5.20, 155.42},
        {1, 4.72, 3.52},        {1, 5.30, 18849.23}, {1, 5.97, 242.73},
};

static const struct vsop_term earth_l4[] = {
        {114, 3.142, 0},
        {8, 4.13, 6283.08},
        {1, 3.84, 12566.15},
};

static const struct vsop_term earth_l5[] = {
        {1, 3.14, 0},
};

static double vsop_sum(const struct vsop_term *terms, size_t n, double tau)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += terms[i].a * cos(terms[i].b + terms[i].c * tau);
	return s;
}

#define VSOP_SUM(tab, tau) vsop_sum(tab, sizeof tab / sizeof tab[0], tau)

/* Nutation in longitude in degrees (Meeus chapter 22, terms larger than 0.2"). */
static double nutation_longitude(double t)
{
	double om = RAD * (125.04452 - 1934.136261 * t);
	double ls = RAD * (280.4665 + 36000.7698 * t);
	double lm = RAD * (218.3165 + 481267.8813 * t);
	return (-17.20 * sin(om) - 1.32 * sin(2 * ls) - 0.23 * sin(2 * lm) + 0.21 * sin(2 * om)) /
	       3600.0;
}

/* The Sun's apparent longitude in degrees at JDE, from the VSOP87 series. */
static double sun_longitude_full(double jde)
{
	double tau = (jde - J2000) / 365250.0;
	double t = tau * 10;
	double l = VSOP_SUM(earth_l0, tau) +
	           tau * (VSOP_SUM(earth_l1, tau) +
	                  tau * (VSOP_SUM(earth_l2, tau) +
	                         tau * (VSOP_SUM(earth_l3, tau) +
	                                tau * (VSOP_SUM(earth_l4, tau) +
	                                       tau * VSOP_SUM(earth_l5, tau)))));
	double theta = l * 1e-8 / RAD + 180.0; /* geocentric, dynamical ecliptic */
	theta -= 0.09033 / 3600.0;             /* to FK5 (Meeus 32.3) */
	/* Earth-Sun distance in AU (leading VSOP87 terms) for the aberration. */
	double r = 1.00013989 + 0.01670700 * cos(3.0984635 + 6283.0758500 * tau) +
	           0.00013956 * cos(3.05525 + 12566.15170 * tau);
	return norm360(theta + nutation_longitude(t) - 20.4898 / 3600.0 / r);
}

/* The Sun's apparent longitude in degrees at JDE, short formula of Meeus chapter 25. */
static double sun_longitude_short(double jde)
{
	double t = (jde - J2000) / 36525.0;
	double l0 = 280.46646 + t * (36000.76983 + t * 0.0003032);
	double m = RAD * (357.52911 + t * (35999.05029 - t * 0.0001537));
	double c = (1.914602 - t * (0.004817 + t * 0.000014)) * sin(m) +
	           (0.019993 - t * 0.000101) * sin(2 * m) + 0.000289 * sin(3 * m);
	double om = RAD * (125.04 - 1934.136 * t);
	return norm360(l0 + c - 0.00569 - 0.00478 * sin(om));
}

/* JDE (TT) of the local midnight that begins day `day`. */
static double local_midnight_jde(int64_t day)
{
	double jd = (double)(day + VNTIME_JDN_EPOCH) - 0.5 - LOCAL_OFFSET;
	return jd + delta_t(jd);
}

/*
 * The 30-degree sector (0..11) of the Sun's apparent longitude at the local
 * midnight that begins `day`: sector s covers [30 s, 30 s + 30). A month whose
 * first day and the next month's first day have the same sector contains no
 * major solar term.
 */
static int sun_sector(int64_t day)
{
	double jde = local_midnight_jde(day);
	double lon = sun_longitude_short(jde);
	double r = fmod(lon, 30.0);
	if (r < SHORT_FORMULA_MARGIN || r > 30.0 - SHORT_FORMULA_MARGIN)
		lon = sun_longitude_full(jde);
	int s = (int)(lon / 30.0);
	return s > 11 ? 11 : s;
}

/* True when the Sun at the start of `day` has not yet reached 270 degrees (it is in [180, 270)). */
static bool before_solstice(int64_t day)
{
	int s = sun_sector(day);
	return s >= 6 && s <= 8;
}

/* Lunation number k of month 11 of the lunar year named by Gregorian year `year`. */
static int month11_lunation(int year)
{
	double jd = (double)(vntime_days_from_civil(year, 12, 21) + VNTIME_JDN_EPOCH);
	int k = (int)floor((jd - NEW_MOON_K0) / SYNODIC_MONTH);
	/* The mean new moon is within a day of the true one: a few steps at most. */
	while (!before_solstice(new_moon_day(k)))
		k--;
	while (before_solstice(new_moon_day(k + 1)))
		k++;
	return k;
}

/*
 * The months from month 11 of lunar year `year` (the month of the December
 * solstice of Gregorian year `year`) up to, not including, the next month 11.
 * Month i of the period (i = 0 is month 11) begins on new_moon_day(k + i).
 */
struct period {
	int year;   /* Gregorian year of the opening solstice */
	int k;      /* lunation number of the opening month 11 */
	int months; /* 12 or 13 */
	int leap;   /* index 1..12 of the leap month; 0: none up to the index searched */
};

/* Fills *p from the lunation numbers k and next of this month 11 and the next one. */
static void period_build(int year, int k, int next, struct period *p)
{
	p->year = year;
	p->k = k;
	p->months = next - k;
	p->leap = 0;
}

/*
 * Looks for the leap month among the indices 1..upto: the first month after
 * month 11 whose two ends lie in one 30-degree sector contains no major term.
 * Callers that only number months up to index i need upto = i (or i + 1 to
 * tell whether month i is followed by a leap month), which saves work.
 */
static void period_find_leap(struct period *p, int upto)
{
	if (p->months != 13 || p->leap != 0)
		return;
	if (upto > 12)
		upto = 12;
	int prev = sun_sector(new_moon_day(p->k + 1));
	for (int i = 1; i <= upto; i++) {
		int cur = sun_sector(new_moon_day(p->k + i + 1));
		if (cur == prev) {
			p->leap = i;
			return;
		}
		prev = cur;
	}
}

static void period_of(int year, int upto, struct period *p)
{
	period_build(year, month11_lunation(year), month11_lunation(year + 1), p);
	period_find_leap(p, upto);
}

/* Month number (1..12) of month index i (0 = month 11) of a period; sets *leap. */
static int period_month(const struct period *p, int i, bool *leap)
{
	*leap = p->leap != 0 && i == p->leap;
	if (p->leap != 0 && i >= p->leap)
		i--;
	return (i + 10) % 12 + 1;
}

/* True when a lunar year can be computed (the first months of 1800 belong to lunar 1799). */
static bool lunar_year_supported(int year)
{
	return year >= LUNAR_MIN_LUNAR_YEAR && year <= LUNAR_MAX_YEAR;
}

/*
 * Finds the first day and the length of a lunar month. Returns ERR_OK, or
 * ERR_INVALID_LUNAR_DATE when the month does not exist. The year must be supported.
 */
static enum err_code locate_month(int year, int month, bool leap, int64_t *start, int *len)
{
	struct period p;
	int idx = (month + 1) % 12; /* 11 -> 0, 12 -> 1, 1 -> 2, ..., 10 -> 11 */
	period_of(month >= 11 ? year : year - 1, idx + 1, &p);
	int i;
	if (leap) {
		if (p.leap == 0 || p.leap - 1 != idx)
			return ERR_INVALID_LUNAR_DATE;
		i = p.leap;
	} else {
		i = (p.leap != 0 && idx >= p.leap) ? idx + 1 : idx;
	}
	*start = new_moon_day(p.k + i);
	*len = (int)(new_moon_day(p.k + i + 1) - *start);
	return ERR_OK;
}

enum err_code lunar_from_solar(int64_t days, struct lunar_date *out, struct err *e)
{
	if (!out)
		return err_set(e, ERR_INVALID_ARGUMENT, "no place for the lunar date");
	if (days < FIRST_DAY_SUPPORTED || days > LAST_DAY_SUPPORTED) {
		char text[VNTIME_DATE_LEN + 24];
		if (days >= vntime_days_from_civil(VNTIME_MIN_YEAR, 1, 1) &&
		    days <= vntime_days_from_civil(VNTIME_MAX_YEAR, 12, 31))
			vntime_format_date(days, text);
		else
			snprintf(text, sizeof text, "day %lld", (long long)days);
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "date '%s' is outside the lunar calendar's years %d-%d", text,
		               LUNAR_MIN_YEAR, LUNAR_MAX_YEAR);
	}
	/* The period that holds the day opens with month 11 of this year or the last. */
	int year = vntime_civil_from_days(days).year;
	int k = month11_lunation(year);
	int64_t first = new_moon_day(k);
	struct period p;
	if (days < first) {
		period_build(year - 1, month11_lunation(year - 1), k, &p);
		first = new_moon_day(p.k);
	} else {
		period_build(year, k, month11_lunation(year + 1), &p);
	}
	/* Guess the month from the mean lunation, then step to the true one. */
	int i = (int)((double)(days - first) / SYNODIC_MONTH);
	if (i > p.months - 1)
		i = p.months - 1;
	int64_t a = new_moon_day(p.k + i), b = new_moon_day(p.k + i + 1);
	while (days < a && i > 0) {
		i--;
		b = a;
		a = new_moon_day(p.k + i);
	}
	while (days >= b && i + 1 < p.months) {
		i++;
		a = b;
		b = new_moon_day(p.k + i + 1);
	}
	period_find_leap(&p, i);
	out->month = period_month(&p, i, &out->leap);
	out->year = out->month >= 11 ? p.year : p.year + 1;
	out->day = (int)(days - a) + 1;
	return ERR_OK;
}

enum err_code lunar_to_solar(const struct lunar_date *ld, int64_t *days, struct err *e)
{
	if (!ld || !days)
		return err_set(e, ERR_INVALID_ARGUMENT, "no lunar date given");
	if (ld->month < 1 || ld->month > 12 || ld->day < 1 || ld->day > 30)
		return err_set(e, ERR_INVALID_LUNAR_DATE, "no lunar date %d/%d%s/%d", ld->day,
		               ld->month, ld->leap ? " leap" : "", ld->year);
	if (!lunar_year_supported(ld->year))
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "lunar year %d is outside the calendar's lunar years %d-%d",
		               ld->year, LUNAR_MIN_LUNAR_YEAR, LUNAR_MAX_YEAR);
	int64_t start;
	int len;
	if (locate_month(ld->year, ld->month, ld->leap, &start, &len) != ERR_OK)
		return err_set(e, ERR_INVALID_LUNAR_DATE, "lunar year %d has no leap month %d",
		               ld->year, ld->month);
	if (ld->day > len)
		return err_set(e, ERR_INVALID_LUNAR_DATE, "lunar month %d%s/%d has only %d days",
		               ld->month, ld->leap ? " leap" : "", ld->year, len);
	int64_t d = start + ld->day - 1;
	if (d < FIRST_DAY_SUPPORTED || d > LAST_DAY_SUPPORTED)
		return err_set(e, ERR_DATE_OUT_OF_CALENDAR,
		               "lunar date %d/%d%s/%d falls outside the calendar's years %d-%d",
		               ld->day, ld->month, ld->leap ? " leap" : "", ld->year,
		               LUNAR_MIN_YEAR, LUNAR_MAX_YEAR);
	*days = d;
	return ERR_OK;
}

int lunar_month_length(int year, int month, bool leap)
{
	if (!lunar_year_supported(year) || month < 1 || month > 12)
		return 0;
	int64_t start;
	int len;
	if (locate_month(year, month, leap, &start, &len) != ERR_OK)
		return 0;
	return len;
}

int lunar_leap_month(int year)
{
	if (!lunar_year_supported(year))
		return 0;
	/* Leap months 1..10 lie in the period that opens in December of year - 1; */
	struct period p;
	bool leap;
	period_of(year - 1, 12, &p);
	if (p.leap >= 3)
		return period_month(&p, p.leap, &leap);
	/* leap months 11 and 12 in the period that opens in December of year. */
	period_of(year, 2, &p);
	if (p.leap == 1 || p.leap == 2)
		return period_month(&p, p.leap, &leap);
	return 0;
}

static const char *const stems[10] = {
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
};

static const char *const branches[12] = {
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
};

/* Non-negative remainder. */
static int mod(int64_t a, int b)
{
	int r = (int)(a % b);
	return r < 0 ? r + b : r;
}

static void canchi(int stem, int branch, char out[LUNAR_CANCHI_LEN])
{
	snprintf(out, LUNAR_CANCHI_LEN, "%s %s", stems[stem], branches[branch]);
}

void lunar_canchi_year(int lunar_year, char out[LUNAR_CANCHI_LEN])
{
	/* Year 4 (and 1984, 2044) was Giáp Tý: stem (y + 6) mod 10, branch (y + 8) mod 12. */
	canchi(mod((int64_t)lunar_year + 6, 10), mod((int64_t)lunar_year + 8, 12), out);
}

void lunar_canchi_month(int lunar_year, int month, char out[LUNAR_CANCHI_LEN])
{
	if (month < 1 || month > 12) {
		out[0] = '\0';
		return;
	}
	/*
	 * Month 1 is always a Dần month; its stem follows the year's: Giáp and Kỷ
	 * years start with Bính Dần, Ất and Canh with Mậu Dần, and so on. A leap
	 * month has the name of the month it repeats.
	 */
	int year_stem = mod((int64_t)lunar_year + 6, 10);
	canchi((year_stem * 2 + 1 + month) % 10, (month + 1) % 12, out);
}

void lunar_canchi_day(int64_t days, char out[LUNAR_CANCHI_LEN])
{
	/*
	 * Days run through the cycle of sixty without a break: stem (JDN + 9) mod
	 * 10, branch (JDN + 1) mod 12; e.g. 2025-01-29 (JDN 2460705) was Mậu Tuất.
	 */
	int64_t jdn_stem = mod(days, 10) + VNTIME_JDN_EPOCH % 10;
	int64_t jdn_branch = mod(days, 12) + VNTIME_JDN_EPOCH % 12;
	canchi(mod(jdn_stem + 9, 10), mod(jdn_branch + 1, 12), out);
}
