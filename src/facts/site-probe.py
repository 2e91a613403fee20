# What pip-guard repair needs to know of the packages pip put into a Python (facts/site-probe.ts),
# asked of that Python itself, read-only (run with -I -B: no bytecode written):
# - each damaged package's RECORD, checked file by file against its sha256 and size;
# - its requirements (markers evaluated for this Python, as pip would), each with the
#   distribution that meets it on this Python's path, if any;
# - whether a user asked for it (REQUESTED), and its commands;
# - the distributions on the path that pip did not put there which need a damaged one (the
#   system's packages), and the ones that share a damaged one's name (a copy it hides);
# - where each site directory's scheme puts scripts and data, for the wheel rebuilt from it.
# Argument: JSON {"path": [...], "damaged": [dist-info, ...], "sites": [site dir, ...]}.
# Run with -S: no .pth file of a site directory runs. Requirements are read with pip's packaging
# library, imported only from a directory of root's or the caller's: as root, code in a directory
# somebody else owns would run as root.
import base64, csv, hashlib, json, os, re, stat, sys, sysconfig
from importlib import metadata

args = json.loads(sys.argv[1])
stdlib = list(sys.path)
sys.path[:] = stdlib + [p for p in args["path"] if p not in stdlib and os.path.isdir(p)
                        and os.stat(p).st_uid in (0, os.getuid())]
try:
    from pip._vendor.packaging.requirements import Requirement
except Exception:
    try:
        from packaging.requirements import Requirement
    except Exception:
        Requirement = None
sys.path[:] = stdlib


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def real(path):
    return os.path.realpath(path)


def scheme_of(site):
    # The install scheme whose purelib or platlib is this directory: Debian's posix_local for
    # /usr/local, posix_user for the user's site.
    for name in sysconfig.get_scheme_names():
        try:
            paths = sysconfig.get_paths(name)
        except Exception:
            continue
        libs = [real(paths.get(k, "")) for k in ("purelib", "platlib")]
        if real(site) in libs:
            keep = ("purelib", "platlib", "scripts", "data")
            return dict((k, real(paths[k])) for k in keep if k in paths)
    return None


def digest(data, algorithm):
    raw = hashlib.new(algorithm, data).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generated(rel):
    return rel.endswith(".pyc") or "/__pycache__/" in "/" + rel


def placed(path, site, scheme):
    # Whether a wheel can say where the file goes: in the site directory, or under one of the
    # scheme's directories (its .data/scripts, .data/data, ...).
    inside = lambda top: top and (path + os.sep).startswith(os.path.normpath(top) + os.sep)
    return inside(site) or any(inside(top) for top in (scheme or {}).values())


def check_record(dist_info, scheme):
    # (files, problem): every path RECORD lists (absolute), or why it cannot be trusted.
    site = os.path.dirname(dist_info)
    record = os.path.join(dist_info, "RECORD")
    if not os.path.isfile(record):
        return [], "it has no RECORD, so pip-guard cannot tell which files are its"
    files = []
    with open(record, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.reader(f) if row and row[0]]
    for row in rows:
        rel = row[0].replace(os.sep, "/")
        path = os.path.normpath(os.path.join(site, rel))
        files.append(path)
        if not placed(path, site, scheme):
            return files, "its RECORD lists %s, outside the places a wheel can install to" % path
        # RECORD itself, and bytecode (pip lists it without a hash; it is compiled again).
        if path == os.path.normpath(record) or generated(rel):
            continue
        if len(row) < 2 or not row[1]:
            return files, "its RECORD gives no hash for %s, so pip-guard cannot check it" % rel
        algorithm, _, expected = row[1].partition("=")
        try:
            st = os.lstat(path)
        except OSError:
            return files, "%s, which its RECORD lists, is missing" % rel
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
            return files, "%s is not a regular file" % rel
        size = row[2] if len(row) > 2 else ""
        if size and size.isdigit() and int(size) != st.st_size:
            return files, "%s does not match its RECORD (it was changed after pip installed it)" % rel
        try:
            with open(path, "rb") as f:
                data = f.read()
            ok = digest(data, algorithm) == expected
        except (OSError, ValueError) as error:
            return files, "%s cannot be read (%s)" % (rel, error)
        if not ok:
            return files, "%s does not match its RECORD (it was changed after pip installed it)" % rel
    return files, None


def requirements(dist):
    if Requirement is None:
        return None
    found = []
    for line in dist.requires or []:
        try:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
        except Exception:
            continue
        found.append(req)
    return found


# Every distribution on the path, in its order: the first of each name is the one imported.
everything = []
first = {}
for entry in args["path"]:
    try:
        dists = list(metadata.distributions(path=[entry]))
    except Exception:
        continue
    for dist in dists:
        name = dist.metadata["Name"] if dist.metadata else None
        where = getattr(dist, "_path", None)
        if not name or where is None:
            continue
        item = (norm(name), dist, real(str(where)))
        everything.append(item)
        first.setdefault(item[0], item)

damaged = set(real(d) for d in args["damaged"])
names = set(n for n, _, where in everything if where in damaged)


def met_by(req):
    item = first.get(norm(req.name))
    if item is None:
        return None
    n, dist, where = item
    version = dist.version
    try:
        ok = req.specifier.contains(version, prereleases=True)
    except Exception:
        ok = True
    return {"distInfo": where, "version": version, "damaged": where in damaged, "ok": ok}


report = {"dists": [], "systemDependents": {}, "copies": {}, "schemes": {}}
for n, dist, where in everything:
    if where not in damaged:
        if n in names:
            report["copies"].setdefault(n, []).append("%s (%s)" % (where, dist.version))
        if first.get(n, (None, None, None))[2] != where:
            continue
        for req in requirements(dist) or []:
            if norm(req.name) in names:
                needs = "%s %s" % (dist.metadata["Name"], dist.version)
                report["systemDependents"].setdefault(norm(req.name), []).append(needs)
        continue
    files, problem = check_record(where, scheme_of(os.path.dirname(where)))
    reqs = requirements(dist)
    scripts = [ep.name for ep in dist.entry_points if ep.group in ("console_scripts", "gui_scripts")]
    report["dists"].append({
        "distInfo": where,
        "name": dist.metadata["Name"],
        "version": dist.version,
        "requested": os.path.exists(os.path.join(where, "REQUESTED")),
        # Another copy first on the path: the one imported, and the one pip uninstall removes.
        "shadowedBy": None if first[n][2] == where else "%s (%s)" % (first[n][2], first[n][1].version),
        "scripts": sorted(set(scripts)),
        "files": files,
        "problem": problem,
        "requires": None if reqs is None else [
            {"name": norm(r.name), "spec": str(r), "met": met_by(r)} for r in reqs
        ],
    })
for site in args["sites"]:
    report["schemes"][site] = scheme_of(site)
print(json.dumps(report))
