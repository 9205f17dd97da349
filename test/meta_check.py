#!/usr/bin/env python3
"""META.json against the PGXN Meta Spec 1.0.0 (https://pgxn.org/spec/): the
required keys and their types, semantic versions, a known license, every
provided extension's file present, and the versions equal to
alliance.control's default_version (the one version number).  Prints TAP."""
import json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEMVER = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$')
LICENSES = {"agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd", "freebsd", "gfdl_1_2",
            "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1", "lgpl_3_0", "mit", "mozilla_1_0", "mozilla_1_1",
            "openssl", "perl_5", "postgresql", "qpl_1_0", "ssleay", "sun", "zlib", "open_source",
            "restricted", "unrestricted", "unknown"}
checks = []
def check(ok, what):
    checks.append((bool(ok), what))

try:
    meta = json.load(open(os.path.join(root, "META.json")))
    check(True, "META.json is valid JSON")
except Exception as e:  # noqa: BLE001
    print("1..1\nnot ok 1 - META.json is valid JSON\n# %s" % e)
    sys.exit(0)
control = open(os.path.join(root, "alliance.control")).read()
default = re.search(r"^default_version = '([^']*)'", control, re.M).group(1)

for key, typ in (("name", str), ("abstract", str), ("version", str), ("maintainer", (str, list)),
                 ("license", (str, list, dict)), ("provides", dict), ("meta-spec", dict)):
    check(isinstance(meta.get(key), typ), "required key %s is a %s" % (key, getattr(typ, "__name__", "value")))
check(re.match(r"^[A-Za-z0-9_-]{2,}$", meta.get("name", "")), "name is a valid distribution name")
check(SEMVER.match(meta.get("version", "")), "version is a semantic version")
check(meta.get("meta-spec", {}).get("version") == "1.0.0", "meta-spec version is 1.0.0")
lic = meta.get("license")
check((lic in LICENSES) if isinstance(lic, str) else True, "license is one the spec knows")
for name, ext in meta.get("provides", {}).items():
    check(isinstance(ext.get("file"), str) and os.path.exists(os.path.join(root, ext["file"])),
          "provides.%s.file exists" % name)
    check(SEMVER.match(ext.get("version", "")), "provides.%s.version is a semantic version" % name)
    check(ext.get("version") == default, "provides.%s.version equals alliance.control's %s" % (name, default))
    if "docfile" in ext:
        check(os.path.exists(os.path.join(root, ext["docfile"])), "provides.%s.docfile exists" % name)
check(meta.get("version") == default, "version equals alliance.control's default_version %s" % default)
for phase, rels in meta.get("prereqs", {}).items():
    check(phase in ("configure", "build", "runtime", "test", "develop"), "prereqs phase %s is known" % phase)
    for rel in rels:
        check(rel in ("requires", "recommends", "suggests", "conflicts"), "prereqs.%s.%s is known" % (phase, rel))
check(meta.get("release_status", "stable") in ("stable", "testing", "unstable"), "release_status is known")

print("1..%d" % len(checks))
for i, (ok, what) in enumerate(checks, 1):
    print("%s %d - META.json: %s" % ("ok" if ok else "not ok", i, what))
