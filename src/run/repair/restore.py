# Puts packages back where pip had installed them, from pip-guard repair's bundle (restore.ts):
# every file their saved RECORD lists, from the saved files or the rebuilt wheel, each checked
# against that RECORD's sha256 before anything is written; then their bytecode, compiled again.
# A package whose .dist-info is there with the same RECORD is in place already; one that is
# there otherwise, or a file in the way that is not the same, stops the whole restore before
# it writes anything. Each package's .dist-info is written last, its RECORD at the very end: an
# interrupted restore leaves no package that looks installed and is not, and runs again.
# Stdlib only (-I -S -B). Argument: JSON {"packages": [{"site", "distInfo", "wheel", "saved"}]}.
import base64, csv, hashlib, importlib.util, io, json, os, py_compile, sys, zipfile


class Conflict(Exception):
    pass


def digest(data, algorithm="sha256"):
    return base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=").decode()


def current(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def plan(job):
    # [(path, data, mode)] to write and [(source, bytecode)] to compile, or None when in place.
    site, info = job["site"], os.path.basename(job["distInfo"])
    saved, wheel = zipfile.ZipFile(job["saved"]), zipfile.ZipFile(job["wheel"])
    record = saved.read(info + "/RECORD")
    installed = os.path.join(site, info, "RECORD")
    if os.path.lexists(os.path.join(site, info)):
        if current(installed) == record:
            return None
        raise Conflict("%s is in %s again, not as the bundle has it" % (info, site))
    writes, compiles = [], []
    names = {"saved": set(saved.namelist()), "wheel": set(wheel.namelist())}
    for row in csv.reader(io.StringIO(record.decode("utf-8"), newline="")):
        if not row or not row[0]:
            continue
        rel = row[0]
        path = os.path.normpath(os.path.join(site, rel))
        if rel.endswith(".pyc"):
            try:
                compiles.append((importlib.util.source_from_cache(path), path))
            except ValueError:
                pass
            continue
        archive = saved if rel in names["saved"] else wheel if rel in names["wheel"] else None
        if archive is None:
            raise Conflict("the bundle has no copy of %s" % rel)
        data = archive.read(rel)
        mode = (archive.getinfo(rel).external_attr >> 16) & 0o7777 or 0o644
        if rel != info + "/RECORD" and len(row) > 1 and row[1]:
            algorithm, _, expected = row[1].partition("=")
            if digest(data, algorithm) != expected:
                raise Conflict("the bundle's copy of %s does not match its RECORD" % rel)
        there = current(path)
        if there is not None and there != data:
            raise Conflict("%s is in the way (a file the bundle would put back there differs)" % path)
        if there is None or os.lstat(path).st_mode & 0o7777 != mode:
            writes.append((path, data, mode))
    # The .dist-info last, and its RECORD at the very end.
    writes.sort(key=lambda w: (os.path.dirname(w[0]) == os.path.join(site, info), w[0].endswith("/RECORD")))
    return writes, compiles


def write(path, data, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = "%s.%d.pip-guard-restore" % (path, os.getpid())
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)


jobs = json.loads(sys.argv[1])["packages"]
try:
    plans = [plan(job) for job in jobs]
except (Conflict, KeyError, OSError, zipfile.BadZipFile) as error:
    print(json.dumps({"problem": str(error)}))
    sys.exit(1)
results = []
for job, planned in zip(jobs, plans):
    if planned is None:
        results.append({"distInfo": job["distInfo"], "state": "in place"})
        continue
    writes, compiles = planned
    for path, data, mode in writes:
        write(path, data, mode)
    for source, bytecode in compiles:
        if os.path.isfile(source):
            py_compile.compile(source, cfile=bytecode, doraise=False, quiet=2)
    results.append({"distInfo": job["distInfo"], "state": "restored"})
print(json.dumps({"packages": results}))
