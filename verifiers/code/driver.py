"""The harness that runs INSIDE the sandbox: candidate code in child processes, one result record out.

Standard library only, never imports vrgym: the sandbox runs it by itself on the host's
fork-server or inside a container (as `harness.py`, started by the small `driver.py` loader that
`check.harness_files` writes, precompiled when the sandbox's Python is the host's). The host
writes into the job:

* the harness, `solution.py` (the candidate), `prelude.py` (trusted helpers/imports, optional)
  and `inputs.json` — the test *inputs* only, never an expected output;
* the job's stdin: `{"nonce": <random hex>, "script": <test code or null>}`.

Processes (why three kinds): the driver (P) never runs candidate code. It forks the candidate
process (C), which loads `prelude.py` + `solution.py`, runs the call tests back to back and
streams one reply per test through a pipe with *strictly serialised* values (exact `type(x) is`
checks; an int subclass, an object with an always-true `__eq__`, a generator ... become a
`{"$bad": typename}` marker that equals nothing). C has no handle on P's stdout (fd 1 is
/dev/null or a capture pipe) and P is non-dumpable (prctl, or the sandbox's uid drop), so C
cannot reach P's stdout through /proc or ptrace either. P reads the nonce
from stdin only after C was forked and C closed its stdin, so C never learns it. P alone prints ONE
line `<nonce> <json>` after every test ended; exiting early (`sys.exit`, `os._exit`, atexit,
excepthook), killing P or printing a guessed line therefore yields no valid record, and whatever C
sends is a value the host compares with an expected value C never saw.

Kinds: `call` (C calls the entry point per test), `stdio` (a fresh C per test runs the program as
`__main__` with the test's stdin; its stdout, incl. `os.write(1, ...)`, is captured by P through a
pipe) and `script` (assert-style test code that could not become calls: it runs in a *trusted*
process T, forked after P read the script, which reaches the candidate only through a proxy that
asks C over a pipe and rebuilds the strictly serialised reply — the candidate never shares a
process with the test code or its expected values; T runs only what P holds in memory, since C
can rewrite any file of the work dir, and counts the asserts that held).

Time: P enforces a per-test limit (select on C's pipe, timed from the previous reply; on expiry
C's process group is killed and the test is `timeout`) and a total budget; after a crash or
timeout a fresh C runs the remaining tests (at most MAX_RESTARTS times), so one slow test does not
hide the others. The per-test limit counts C's CPU time, read from /proc (`TestClock`): on a
loaded machine a correct program may take several times its limit in wall clock, and calling that
a timeout would score right code 0. A test whose processes make no CPU progress and are not
runnable (sleeping, blocked) for IDLE_SECONDS past the limit is over at once; a starved one runs
on up to LOAD_SLACK times the limit in wall clock.

Infrastructure: if P cannot start the first candidate process (fork or pipe refused: a pids or fd
limit exhausted by others), the record says `"load": "infra"`, a sandbox error, not a 0.
"""

# ruff: noqa: BLE001, S102, S110, SIM115
# (this file runs inside the sandbox: it exec's the candidate and must survive anything it raises)

import builtins
import io
import json
import os
import select
import signal
import sys
import time

MAX_RESTARTS = 2
LOAD_SLACK = 10.0
"""A test whose processes are starved of CPU (runnable, waiting for a core) may run this many times its limit in wall clock."""
IDLE_SECONDS = 0.25
"""Past its limit, a test whose processes neither used CPU nor were runnable for this long is over (it sleeps or blocks)."""
MAX_DEPTH = 100
BIG_INT = 1 << 12000
TAGS = ("$tuple", "$dict", "$set", "$int", "$float", "$bytes", "$complex", "$bad")


# ------------------------------------------------------------------------------ strict serialisation


def encode(value, depth=0):
    """`value` as JSON-able data, by exact type only; anything else becomes a `$bad` marker."""
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -BIG_INT < value < BIG_INT else {"$int": hex(value)}
    if kind is float:
        return value if value - value == 0 else {"$float": repr(value)}
    if depth > MAX_DEPTH:
        return {"$bad": "too deep"}
    if kind is list:
        return [encode(item, depth + 1) for item in value]
    if kind is tuple:
        return {"$tuple": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {"$dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is set or kind is frozenset:
        return {"$set": [encode(item, depth + 1) for item in value]}
    if kind is bytes:
        return {"$bytes": value.hex()}
    if kind is complex:
        return {"$complex": [encode(value.real), encode(value.imag)]}
    return {"$bad": kind.__name__ if isinstance(kind.__name__, str) else "object"}


class Opaque:
    """A value the candidate returned that is not plain data, as the trusted test code sees it.

    Every comparison and truth test raises: an assert on it fails whatever the assert says
    (`== y`, `!= y`, `in xs`, a bare `assert value` or `assert all(...)`), so no test is passed
    by a value that could not be checked.
    """

    __slots__ = ("kind",)

    def __init__(self, kind):
        self.kind = str(kind)

    def _refuse(self, *args):
        raise TypeError(f"the candidate returned an unserialisable {self.kind}; it cannot be compared")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = __iter__ = _refuse
    __hash__ = object.__hash__

    def __repr__(self):
        return f"<unserialisable {self.kind}>"


def decode(data):
    """Rebuild Python values from `encode`'s output (used by the trusted test process T and by C for args)."""
    if type(data) is list:
        return [decode(item) for item in data]
    if type(data) is not dict:
        return data
    (tag, body), = data.items()
    if tag == "$tuple":
        return tuple(decode(item) for item in body)
    if tag == "$dict":
        return {decode(k): decode(v) for k, v in body}
    if tag == "$set":
        return {decode(item) for item in body}
    if tag == "$int":
        return int(body, 16)
    if tag == "$float":
        return float(body)
    if tag == "$bytes":
        return bytes.fromhex(body)
    if tag == "$complex":
        return complex(body[0], body[1])
    return Opaque(body)


# ------------------------------------------------------------------------------ pipes


def send(fd, message):
    """Write one JSON line to `fd` (whole, retrying short writes)."""
    data = (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")
    while data:
        data = data[os.write(fd, data):]


def children_cpu(of_parent=False):
    """CPU seconds used so far by the live children of this process (or of its parent), or None if unknown."""
    usage = children_usage(of_parent)
    return None if usage is None else usage[0]


def children_usage(of_parent=False):
    """(CPU seconds used so far, whether any is runnable) of the live children of this process (or its parent).

    Read through /proc/self (whose task/*/children names the children as this /proc numbers
    them, also inside a PID namespace whose /proc is the host's), so it works on the host server
    and in containers alike; None when /proc is missing or there is no child to measure.
    `of_parent`: T measures C, its sibling (both children of P; T itself is idle meanwhile).
    """
    try:
        owner = "self"
        if of_parent:
            with open("/proc/self/stat", "rb") as handle:
                owner = handle.read().rsplit(b")", 1)[1].split()[1].decode()  # ppid, as this /proc numbers it
        pids = []
        for tid in os.listdir(f"/proc/{owner}/task"):
            with open(f"/proc/{owner}/task/{tid}/children", "rb") as handle:
                pids += handle.read().split()
        if of_parent:  # not the measuring process itself (it is running while it measures)
            me = os.readlink("/proc/self").encode()
            pids = [pid for pid in pids if pid != me]
        if not pids:
            return None
        ticks, runnable = 0, False
        for pid in pids:
            with open(b"/proc/" + pid + b"/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            runnable = runnable or fields[0] == b"R"
        return ticks / os.sysconf("SC_CLK_TCK"), runnable
    except (OSError, ValueError, IndexError):
        return None


class Deadline:
    """A plain wall-clock deadline (monotonic seconds)."""

    def __init__(self, at):
        self.at = at

    def remaining(self):
        return self.at - time.monotonic()


class TestClock:
    """When a test is over: after `seconds` of CPU time of our children, not of wall time.

    Why: on a loaded machine (a busy training node) a correct program can need many times its
    CPU time in wall clock; a wall limit would score it as a timeout, a false negative. So once
    `seconds` of wall time have passed, the test goes on while its processes have used less than
    `seconds` of CPU and are making progress (used CPU or were runnable within IDLE_SECONDS), up
    to LOAD_SLACK times `seconds` of wall time and the job's total deadline. A program that
    sleeps or blocks makes no progress, so it is over IDLE_SECONDS after its limit, as before.
    Without /proc it is a wall limit.
    """

    def __init__(self, seconds, deadline, of_parent=False):
        now = time.monotonic()
        self.seconds, self.of_parent = seconds, of_parent
        self.soft = now + seconds
        self.hard = min(deadline, now + LOAD_SLACK * seconds)
        self.cpu0 = self.last_cpu = children_cpu(of_parent) or 0.0
        self.last_progress = now

    def remaining(self):
        now = time.monotonic()
        if now >= self.hard:
            return 0
        if now < self.soft:
            return min(self.soft, self.hard) - now
        usage = children_usage(self.of_parent)
        if usage is None or usage[0] - self.cpu0 >= self.seconds:
            return 0
        cpu, runnable = usage
        if cpu != self.last_cpu or runnable:
            self.last_cpu, self.last_progress = cpu, now
        elif now - self.last_progress >= IDLE_SECONDS:
            return 0  # neither using CPU nor waiting for it: sleeping or blocked, not starved
        return min(self.hard - now, 0.05)


class Reader:
    """Line reader over a pipe with a deadline and a size cap (the other side is not trusted)."""

    def __init__(self, fd, cap):
        self.fd, self.cap, self.buffer = fd, cap, b""

    def line(self, clock):
        """The next line decoded as JSON; or the string 'timeout' / 'eof' / 'too_large' / 'garbled'.

        `clock` is a `Deadline`, a `TestClock` or a monotonic time in seconds.
        """
        if not hasattr(clock, "remaining"):
            clock = Deadline(clock)
        while b"\n" not in self.buffer:
            if len(self.buffer) > self.cap:
                return "too_large"
            left = clock.remaining()
            if left <= 0:
                return "timeout"
            try:
                ready, _, _ = select.select([self.fd], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                continue  # the clock decides (a starved test gets more wall time)
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return "eof"
            self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\n")
        try:
            message = json.loads(raw.decode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            return "garbled"
        return message if type(message) is dict else "garbled"


# ------------------------------------------------------------------------------ the candidate process C


def undumpable(needed):
    """PR_SET_DUMPABLE=0: other processes of our uid can no longer open /proc/<pid>/fd/* or ptrace us.

    Without it a candidate running as our uid could open /proc/<P>/fd/0 and /proc/<P>/fd/1, steal
    the nonce and write a forged record. For call and stdio tests a forged record holds only values,
    which must still equal the hidden expected ones (forging = solving), so there the cost of
    importing ctypes (milliseconds, unless the fork-server already holds it) is paid only when free;
    for script tests, whose record says "passed", it is always paid.
    """
    if not needed and "ctypes" not in sys.modules:
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except Exception:  # not Linux, or no libc symbol: the nonce still guards the record
        pass


def isolate(stdin_fd, stdout_fd, keep):
    """In a fresh child: own process group, chosen fds 0/1, /dev/null stderr, every other fd closed."""
    os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null if stdin_fd is None else stdin_fd, 0)
    os.dup2(null if stdout_fd is None else stdout_fd, 1)
    os.dup2(null, 2)
    keep = sorted(set(keep))
    low = 3
    for fd in keep + [1 << 16]:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGPIPE):
        signal.signal(number, signal.SIG_DFL)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace")
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace")


def error_of(exc):
    """A failure record for `exc`: its type name and a short message (the candidate's own text)."""
    try:
        name, text = type(exc).__name__, str(exc)[:300]
    except BaseException:
        name, text = "Exception", ""
    record = {"error": name if type(name) is str else "Exception", "message": text if type(text) is str else ""}
    if isinstance(exc, SyntaxError) and type(exc.lineno) is int:
        record["line"] = exc.lineno
    return record


def load(files, name):
    """Execute prelude + solution in one namespace; ({"load": "ok"}, namespace) or a failure record."""
    namespace = {"__name__": name, "__builtins__": builtins}
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                code = compile(handle.read(), path, "exec", dont_inherit=True)
        except BaseException as exc:  # SyntaxError, ValueError (NUL byte), RecursionError (deep nesting) ...
            return dict(error_of(exc), load="compile"), namespace
        try:
            exec(code, namespace)
        except BaseException as exc:
            return dict(error_of(exc), load="exec"), namespace
    return {"load": "ok"}, namespace


def resolve(namespace, entry):
    """The callable named by `entry` ('f' or 'Class.method', a fresh instance per call)."""
    head, _, method = entry.partition(".")
    target = namespace[head]
    return getattr(target(), method) if method else target


def call_one(namespace, entry, args, kwargs):
    """Call the entry point; its strictly encoded value or its exception as a reply."""
    try:
        return {"value": encode(resolve(namespace, entry)(*args, **kwargs))}
    except BaseException as exc:
        return error_of(exc)


def reply_with(fd, reply):
    """Send `reply`; a reply that cannot be sent (an int too long to print ...) becomes an error."""
    try:
        send(fd, reply)
    except BaseException as exc:
        send(fd, dict(error_of(exc), unsendable=True))


def candidate_server(start, requests, replies, files, entry, tests):
    """C: load once; then (call kind) run tests `start`.. back to back, streaming one reply each,
    or (script kind, start None) answer {"args", "kwargs"} requests from the test process."""
    isolate(None, None, [requests, replies])
    status, namespace = load(files, "solution")
    send(replies, status)
    if status["load"] != "ok":
        os._exit(0)
    if start is not None:  # no request per test: P times each test from the previous reply
        for test in tests[start:]:
            reply_with(replies, call_one(namespace, entry, test.get("args", []), test.get("kwargs", {})))
        os._exit(0)
    reader = Reader(requests, 1 << 30)
    while True:
        request = reader.line(time.monotonic() + 1e9)
        if type(request) is not dict:
            os._exit(0)
        reply_with(replies, call_one(namespace, entry, decode(request["args"]), decode(request["kwargs"])))


def stdio_child(stdin_text, capture, replies, files):
    """C for stdio: run the program as __main__ with `stdin_text`; report how it ended."""
    data = stdin_text.encode("utf-8", "surrogatepass")
    try:
        fd = os.memfd_create("stdin")  # no file on disk, no tempfile import
    except (AttributeError, OSError):
        import tempfile

        fd = os.dup(tempfile.TemporaryFile().fileno())
    while data:
        data = data[os.write(fd, data):]
    os.lseek(fd, 0, os.SEEK_SET)
    isolate(fd, capture, [replies])
    status, _ = load(files, "__main__")
    if status["load"] == "exec" and status["error"] == "SystemExit" and status["message"] in ("", "0", "None"):
        status = {"load": "ok"}  # sys.exit() / sys.exit(0) after printing is an ordinary way to end a program
    try:
        sys.stdout.flush()
    except BaseException as exc:
        status = dict(error_of(exc), load="exec")
    send(replies, status)
    os._exit(0)


def spawn(target, *args):
    """Fork a child running `target(*args)`; the child never returns into the driver."""
    pid = os.fork()
    if pid == 0:
        try:
            target(*args)
        finally:
            os._exit(0)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    return pid


def end(pid):
    """Kill the child's whole process group and reap it: no zombies, no survivors of this test."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


# ------------------------------------------------------------------------------ the driver P


def fresh_candidate_server(requests, replies):
    """C for script specs, in a NEW interpreter (exec): nothing of this process's memory survives.

    Why: the job's stdin (nonce and test script, whose asserts hold the expected values) passed
    through the sandbox's own memory before this process existed, and a forked C could search its
    inherited memory for it (a candidate did, and returned the asserted values). An exec'd C holds
    only what it reads itself: inputs.json, the prelude and the candidate. Costs one interpreter
    start (~10-20 ms), paid only by script specs.
    """
    try:
        for fd in (requests, replies):
            os.set_inheritable(fd, True)
        argv = [sys.executable, "-I", "-S", sys.argv[0], "--candidate", str(requests), str(replies)]
        os.execv(sys.executable, argv)
    except BaseException as exc:
        send(replies, dict(error_of(exc), load="infra"))  # the sandbox could not start Python: not the model's fault
    os._exit(0)


def candidate_main(requests, replies):
    """Entry of the exec'd C (`driver.py --candidate REQ REP`): serve the script's calls."""
    with open("inputs.json", encoding="utf-8") as handle:
        spec = json.load(handle)
    files = ["prelude.py", "solution.py"] if spec.get("prelude") else ["solution.py"]
    candidate_server(None, requests, replies, files, spec["entry_point"] or "candidate", [])


class Call:
    """A live candidate server C and its pipes."""

    def __init__(self, spec, files, start=None):
        req_r, self.req_w = os.pipe()
        self.rep_r, rep_w = os.pipe()
        if spec["kind"] == "script":
            self.pid = spawn(fresh_candidate_server, req_r, rep_w)
        else:
            self.pid = spawn(candidate_server, start, req_r, rep_w, files, spec["entry_point"], spec["tests"])
        os.close(req_r)
        os.close(rep_w)
        self.reader = Reader(self.rep_r, spec["max_result_bytes"])

    def close(self):
        code = end(self.pid)
        for fd in (self.req_w, self.rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        return code


def failure(word, code=None):
    """A per-test record for a channel outcome ('timeout', 'eof', ...)."""
    record = {"timeout": {"timeout": True}, "too_large": {"error": "OutputTooLarge"}}.get(word)
    if record is None:
        record = {"crash": code if type(code) is int else None}
        if word == "garbled":
            record["garbled"] = True
    return record


def infra(exc):
    """The load record of a job whose first candidate process could not be started (pids/fd limits ...).

    Why not the model's fault: nothing of the candidate has run in this job yet, so the limit was
    exhausted by something else (other jobs of the uid under RLIMIT_NPROC, a full machine).
    Once the candidate has run, a failed restart counts against it (a fork bomb's orphans).
    """
    return dict(error_of(exc), load="infra", message=f"could not start the candidate process: {exc}"[:300])


def run_calls(spec, files, deadline, read_secret):
    """Every call test through C, streamed; a fresh C after a crash/timeout; (load record, results)."""
    per_test, results, restarts, load_record = spec["test_seconds"], [], 0, None
    count = len(spec["tests"])
    try:
        server = Call(spec, files, 0)
    except OSError as exc:
        read_secret()
        return infra(exc), [{"skipped": True}] * count
    read_secret()  # only now, with C forked and its stdin closed: C never holds the nonce
    loaded = server.reader.line(TestClock(per_test, deadline))
    while len(results) < count:
        if type(loaded) is dict and loaded.get("load") not in (None, "ok"):
            server.close()  # the program does not load: no test can run
            return loaded, [{"skipped": True}] * count
        reply = loaded
        if type(loaded) is dict and loaded.get("load") == "ok":
            load_record = loaded
            reply = server.reader.line(TestClock(per_test, deadline))
            if type(reply) is dict and ("value" in reply or "error" in reply):
                results.append(reply)
                continue
        results.append(failure(reply if type(reply) is str else "garbled", server.close()))
        server = None
        if len(results) == count:
            break
        if restarts >= MAX_RESTARTS or time.monotonic() >= deadline:
            results += [{"skipped": True}] * (count - len(results))
            break
        restarts += 1
        try:
            server = Call(spec, files, len(results))
        except OSError:  # the candidate's own processes may hold the limit: its failure
            results += [failure("eof")] * (count - len(results))
            break
        loaded = server.reader.line(TestClock(per_test, deadline))
    if server is not None:
        server.close()
    return load_record or {"load": "unknown"}, results


def run_stdio(spec, files, deadline, read_secret):
    """Each stdio test in a fresh C; P captures its stdout through a pipe with a cap."""
    read_secret()
    results, load_record, cap = [], None, spec["max_output_bytes"]
    for test in spec["tests"]:
        if time.monotonic() >= deadline or (load_record and load_record.get("load") == "compile"):
            results.append({"skipped": True})
            continue
        try:
            out_r, out_w = os.pipe()
            rep_r, rep_w = os.pipe()
            pid = spawn(stdio_child, test["stdin"], out_w, rep_w, files)
        except OSError as exc:
            if not results:  # nothing of the candidate ran yet: the sandbox's failure
                return infra(exc), [{"skipped": True}] * len(spec["tests"])
            results.append(failure("eof"))
            continue
        os.close(out_w)
        os.close(rep_w)
        clock = TestClock(spec["test_seconds"], deadline)
        output, status, open_fds = [], None, {out_r, rep_r}
        size, reply, grace = 0, b"", None
        while open_fds:
            if grace is None and b"\n" in reply:  # C reported after flushing: its output is in the pipe already
                grace = time.monotonic() + 0.05
            left = clock.remaining() if grace is None else min(clock.remaining(), grace - time.monotonic())
            if left <= 0:
                if grace is None:
                    status = {"timeout": True}
                elif out_r in open_fds:
                    drain(out_r, output, cap)  # a process C left behind holds the pipe open: do not wait for it
                break
            ready, _, _ = select.select(list(open_fds), [], [], left)
            if not ready:
                continue
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    open_fds.discard(fd)
                elif fd == out_r:
                    output.append(chunk)
                    size += len(chunk)
                else:
                    reply += chunk
            if size > cap:
                status = {"error": "OutputTooLarge"}
                break
        code = end(pid)
        for fd in (out_r, rep_r):
            os.close(fd)
        if status is None:
            try:
                message = json.loads(reply.decode("utf-8", "surrogatepass").split("\n")[0]) if reply else None
            except ValueError:
                message = None
            if type(message) is not dict:
                status = {"crash": code}
            elif message.get("load") != "ok":
                status = dict(message)
                if message.get("load") == "compile":
                    load_record = load_record or message
            else:
                status = {"stdout": b"".join(output).decode("utf-8", "replace")}
        results.append(status)
    return load_record or {"load": "ok"}, results


def drain(fd, output, cap):
    """Read what is already in pipe `fd` without waiting (up to `cap` bytes)."""
    size = sum(len(chunk) for chunk in output)
    while size <= cap:
        ready, _, _ = select.select([fd], [], [], 0)
        chunk = os.read(fd, 1 << 16) if ready else b""
        if not chunk:
            return
        output.append(chunk)
        size += len(chunk)


def proxy_call(channel, args, kwargs, seconds):
    """T's side of a candidate call: ask C, rebuild its reply, raise what it raised."""
    send(channel.req_w, {"args": encode(args), "kwargs": encode(kwargs)})
    reply = channel.reader.line(TestClock(seconds, time.monotonic() + LOAD_SLACK * seconds, of_parent=True))
    if reply == "timeout":
        raise TimeoutError(f"the candidate did not return within {seconds:g} s")
    if type(reply) is not dict:
        raise RuntimeError(f"the candidate process ended ({reply})")
    if "value" in reply:
        return decode(reply["value"])
    kind = getattr(builtins, str(reply.get("error")), None)
    if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == "builtins":
        raise kind(reply.get("message", ""))
    raise RuntimeError(f"the candidate raised {reply.get('error')}")


def test_process(channel, verdict_fd, prelude, script, entry, seconds):
    """T: run the trusted test script with `candidate` (and the entry name) bound to the proxy."""
    isolate(None, None, [channel.req_w, channel.rep_r, verdict_fd])
    counts = {"calls": 0, "asserts": 0}

    def candidate(*args, **kwargs):
        counts["calls"] += 1
        return proxy_call(channel, args, kwargs, seconds)

    def assert_passed():
        counts["asserts"] += 1

    try:
        namespace = {"__name__": "__tests__", "__builtins__": builtins, "__vrgym_assert_passed": assert_passed}
        exec(compile(prelude, "prelude.py", "exec"), namespace)  # read by P before C ran: C may rewrite the file
        namespace["candidate"] = candidate
        if "." not in entry:
            namespace[entry] = candidate
        exec(compile(script, "tests.py", "exec"), namespace)  # asserts already counted by the host (count_asserts)
        if callable(namespace.get("check")):
            namespace["check"](candidate)
        send(verdict_fd, dict(counts, passed=True))
    except BaseException as exc:
        send(verdict_fd, dict(error_of(exc), **counts))
    os._exit(0)


def run_script(spec, files, deadline, read_secret):
    """Script kind: C serves calls, T runs the test code; the result is T's report.

    Everything T runs comes from P's memory, read before C started (the prelude) or from stdin
    (the script): C can write to the work dir, so no file is trusted once it has run.
    """
    prelude = ""
    if "prelude.py" in files:
        with open("prelude.py", encoding="utf-8") as handle:
            prelude = handle.read()
    try:
        server = Call(spec, files)
    except OSError as exc:
        read_secret()
        return infra(exc), [{"skipped": True}]
    secret = read_secret()
    status = server.reader.line(TestClock(spec["test_seconds"], deadline))
    if type(status) is not dict or status.get("load") != "ok":
        code = server.close()
        if type(status) is dict:
            return status, [{"skipped": True}]
        return {"load": "unknown"}, [failure(status, code)]
    verdict_r, verdict_w = os.pipe()
    tester = spawn(test_process, server, verdict_w, prelude, secret["script"] or "", spec["entry_point"] or "candidate", spec["test_seconds"])
    os.close(verdict_w)
    outcome = Reader(verdict_r, 1 << 20).line(deadline)
    end(tester)
    server.close()
    os.close(verdict_r)
    if type(outcome) is not dict:
        outcome = failure(outcome)
    return {"load": "ok"}, [outcome]


def generated(source):
    """The `value` that a test's trusted generator source sets (its argument list, or its stdin text).

    The host imports this same function to compute the expected outputs when it makes the problem,
    so the inputs the candidate sees and those the expected values were computed on are one code path.
    """
    namespace = {"__name__": "generator", "__builtins__": builtins}
    exec(compile(source, "generator", "exec", dont_inherit=True), namespace)
    return namespace["value"]


def expand(spec):
    """Replace each test's `generator` by the input it generates, in P before any candidate runs.

    Returns None, or the load record of a generator that failed (a broken problem, not the program's fault).
    """
    want = str if spec["kind"] == "stdio" else list
    for test in spec["tests"]:
        source = test.pop("generator", None)
        if source is None:
            continue
        try:
            value = generated(source)
            if type(value) is not want:
                raise TypeError(f"the generator made a {type(value).__name__}, not a {want.__name__}")
        except BaseException as exc:
            return dict(error_of(exc), load="generate")
        if want is str:
            test["stdin"] = value
        else:
            test["args"], test["kwargs"] = value, {}
    return None


def main():
    """P: run every test, then print the one nonce-tagged record."""
    if len(sys.argv) == 4 and sys.argv[1] == "--candidate":
        candidate_main(int(sys.argv[2]), int(sys.argv[3]))
        os._exit(0)
    with open("inputs.json", encoding="utf-8") as handle:
        spec = json.load(handle)
    undumpable(spec["kind"] == "script")
    files = ["prelude.py", "solution.py"] if spec.get("prelude") else ["solution.py"]
    deadline = time.monotonic() + spec["total_seconds"]
    secret = {}

    def read_secret():
        if not secret:
            chunks = []
            while True:
                chunk = os.read(0, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            secret.update(json.loads(b"".join(chunks).decode("utf-8")))
        return secret

    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    broken = expand(spec)
    if broken is not None:
        load_record, results = broken, [{"skipped": True}] * max(1, len(spec["tests"]))
    else:
        runner = {"call": run_calls, "stdio": run_stdio, "script": run_script}[spec["kind"]]
        load_record, results = runner(spec, files, deadline, read_secret)
    record = json.dumps({"load": load_record, "results": results}, separators=(",", ":"))
    os.write(1, f"\n{read_secret()['nonce']} {record}\n".encode("utf-8", "surrogatepass"))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
