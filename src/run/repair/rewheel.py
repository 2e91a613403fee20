# Rebuilds installed packages as wheels, for pip-guard repair's restore bundle (bundle.ts): each
# file its RECORD lists is read once, checked against RECORD's sha256 and size, and written into
# - the wheel (NAME-VERSION-TAGS.whl): the files of the site directory, and the others under
#   NAME-VERSION.data/{scripts,data,purelib,platlib}/ as the scheme places them; without what the
#   installer made (RECORD, INSTALLER, REQUESTED, direct_url.json, bytecode, the console scripts
#   of its entry points), with a RECORD of its own. This is the wheel its homes install;
# - the saved files (NAME-VERSION.saved.zip): every file the wheel does not hold as it is
#   installed, named as RECORD names it. The wheel and these put the package back exactly.
# Files keep their modes. Stdlib only (run with -I -S -B). Argument: JSON
# {"packages": [{"distInfo", "scheme": {...}, "wheels": DIR, "saved": DIR, "scripts": [names]}]}.
# Prints JSON.
import base64, csv, hashlib, io, json, os, re, stat, sys, zipfile

INSTALLER_FILES = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")


class Mismatch(Exception):
    pass


def digest(data, algorithm="sha256"):
    return base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=").decode()


def read_checked(path, rel, hash_, size, check=True):
    # The file's bytes and mode, read without following a symlink, checked against RECORD.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise Mismatch("%s cannot be read (%s)" % (rel, error.strerror))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Mismatch("%s is not a regular file" % rel)
        if size.isdigit() and int(size) != st.st_size:
            raise Mismatch("%s does not match its RECORD (it was changed after pip installed it)" % rel)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read()
    finally:
        os.close(fd)
    algorithm, _, expected = hash_.partition("=")
    if check and (not hash_ or digest(data, algorithm) != expected):
        raise Mismatch("%s does not match its RECORD (it was changed after pip installed it)" % rel)
    return data, stat.S_IMODE(st.st_mode)


def inside(path, top):
    return bool(top) and (path + os.sep).startswith(top.rstrip(os.sep) + os.sep)


def tags_of(wheel_text):
    # The file name's tags from WHEEL's Tag lines (py3-none-any; several: py2.py3-none-any).
    tags = [line.split(":", 1)[1].strip() for line in wheel_text.splitlines() if line.lower().startswith("tag:")]
    parts = [t.split("-") for t in tags if t.count("-") == 2]
    if not parts:
        return None
    return "-".join(".".join(sorted(set(p[i] for p in parts))) for i in range(3))


def entry(name, mode):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def record_line(name, data):
    return "%s,sha256=%s,%d" % (name, digest(data), len(data))


def place(path, site, scheme, data_dir):
    # Where a file the RECORD lists goes in the wheel (None: the installer makes it).
    if inside(path, site):
        return os.path.relpath(path, site).replace(os.sep, "/")
    for key in ("scripts", "purelib", "platlib", "data"):
        top = scheme.get(key)
        if inside(path, top):
            return "%s/%s/%s" % (data_dir, key, os.path.relpath(path, top).replace(os.sep, "/"))
    raise Mismatch("%s lies outside the places a wheel can install to" % path)


def rebuild(job):
    dist_info, scheme = job["distInfo"], job["scheme"] or {}
    site, info_name = os.path.dirname(dist_info), os.path.basename(dist_info)
    stem = info_name[: -len(".dist-info")]
    name, _, version = stem.rpartition("-")
    with open(os.path.join(dist_info, "RECORD"), newline="", encoding="utf-8") as f:
        rows = [row + ["", ""] for row in csv.reader(f) if row and row[0]]
    wheel_files, saved = [], []
    commands = set(job.get("scripts") or [])
    for rel, hash_, size in (row[:3] for row in rows):
        rel = rel.replace(os.sep, "/")
        path = os.path.normpath(os.path.join(site, rel))
        if rel.endswith(".pyc") or "/__pycache__/" in "/" + rel:
            continue
        if rel == info_name + "/RECORD":
            saved.append((rel,) + read_checked(path, rel, hash_, size, check=False))
            continue
        data, mode = read_checked(path, rel, hash_, size)
        target = place(path, site, scheme, stem + ".data")
        own = rel.startswith(info_name + "/") and rel[len(info_name) + 1:] in INSTALLER_FILES
        script = target.startswith(stem + ".data/scripts/")
        generated = script and re.sub(r"(-script\.pyw?|\.exe)$", "", os.path.basename(path)) in commands
        if target != rel or own or generated:
            saved.append((rel, data, mode))
        if own or generated:
            continue
        if script and re.match(rb"#!.*python[0-9.]*\b", data):
            # pip rewrites a `#!python` line to the interpreter of wherever it installs.
            data = re.sub(rb"^#![^\n]*", b"#!python", data, count=1)
        wheel_files.append((target, data, mode))
    wheel_text = next((d.decode("utf-8", "replace") for t, d, m in wheel_files if t == info_name + "/WHEEL"), "")
    tags = tags_of(wheel_text)
    if not tags:
        raise Mismatch("its WHEEL file names no tags, so pip-guard cannot name the wheel")
    escape = lambda text: re.sub(r"[^\w\d.]+", "_", text)
    wheel = os.path.join(job["wheels"], "%s-%s-%s.whl" % (escape(name), escape(version), tags))
    lines = []
    with zipfile.ZipFile(wheel, "w") as zf:
        for target, data, mode in wheel_files:
            zf.writestr(entry(target, mode), data)
            lines.append(record_line(target, data))
        lines.append(info_name + "/RECORD,,")
        zf.writestr(entry(info_name + "/RECORD", 0o644), "\n".join(lines) + "\n")
    kept = os.path.join(job["saved"], stem + ".zip")
    with zipfile.ZipFile(kept, "w") as zf:
        for rel, data, mode in saved:
            zf.writestr(entry(rel, mode), data)
    sha = lambda path: hashlib.sha256(open(path, "rb").read()).hexdigest()
    return {"distInfo": dist_info, "wheel": wheel, "wheelSha256": sha(wheel), "saved": kept, "savedSha256": sha(kept)}


results = []
for job in json.loads(sys.argv[1])["packages"]:
    try:
        results.append(rebuild(job))
    except (Mismatch, OSError) as error:
        results.append({"distInfo": job["distInfo"], "problem": str(error)})
print(json.dumps(results))
