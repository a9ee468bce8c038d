"""wrk driving one page for one slice, and the summary it prints."""

import json
import math
import secrets
import subprocess

from bench.common.environment import SITE_HOST

# The query parameter that makes every uncached request a distinct address.
BUST_PARAM = "nocache"

# wrk's Lua hooks. done() prints one machine-readable line; the busting request() gives every
# request its own query string, so no cache can answer it.
LUA_DONE = r"""
function summary_line(summary, latency)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, \"p50_us\": %d, " ..
    "\"p90_us\": %d, \"p99_us\": %d, \"socket_errors\": %d, \"status_errors\": %d}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
function done(summary, latency, requests)
  summary_line(summary, latency)
end
"""
LUA_BUST = (
    r"""
local threads, counter = 0, 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function init(args)
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  base = wrk.path .. separator .. "BUST_PARAM=" .. (args[1] or "0") .. "-" .. thread_id .. "-"
end
function request()
  counter = counter + 1
  return wrk.format(nil, base .. counter)
end
""".replace("BUST_PARAM", BUST_PARAM)
    + LUA_DONE
)

# The article walks (walks.py): args are a file of paths and wrk's thread count. Thread n of N
# asks for paths n, n + N, n + 2N, ...: every request a distinct address, unless the file runs
# out (counted as a wrap, then it starts again). response() counts the page cache's misses.
LUA_WALK = (
    LUA_DONE
    + r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  stride = tonumber(args[2])
  index = thread_id - stride
  answered, misses, wraps = 0, 0, 0
end
function request()
  index = index + stride
  if index > #paths then
    index = (thread_id - 1) % #paths + 1
    wraps = wraps + 1
  end
  return wrk.format(nil, paths[index])
end
function response(status, headers, body)
  answered = answered + 1
  if (headers["X-Page-Cache"] or headers["x-page-cache"]) == "miss" then
    misses = misses + 1
  end
end
function done(summary, latency, requests)
  summary_line(summary, latency)
  local answered, misses, wraps = 0, 0, 0
  for _, thread in ipairs(threads) do
    answered = answered + thread:get("answered")
    misses = misses + thread:get("misses")
    wraps = wraps + thread:get("wraps")
  end
  io.write(string.format(
    "WALK {\"answered\": %d, \"misses\": %d, \"wraps\": %d}\n", answered, misses, wraps))
end
"""
)


def parse_wrk(output):
    """The summary our Lua done() prints, with times in milliseconds."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            raw = json.loads(line.removeprefix("BENCH "))
            if not raw["requests"]:
                # wrk reports 0 for percentiles of nothing: no request is not a fast one.
                raw.update(p50_us=math.nan, p90_us=math.nan, p99_us=math.nan)
            return {
                "requests": raw["requests"],
                "seconds": raw["duration_us"] / 1e6,
                "bytes": raw["bytes"],
                "p50_ms": raw["p50_us"] / 1000,
                "p90_ms": raw["p90_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "socket_errors": raw["socket_errors"],
                "status_errors": raw["status_errors"],
            }
    raise ValueError(f"wrk printed no summary line:\n{output}")


def parse_walk(output):
    """The counts a walk's done() prints (answered, misses, wraps), or {} for another script."""
    for line in output.splitlines():
        if line.startswith("WALK "):
            return json.loads(line.removeprefix("WALK "))
    return {}


def wrk_command(url, threads, connections, seconds, script, script_args=()):
    """wrk's command line against our server (its Host), with a Lua script and its arguments."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-H",
        f"Host: {SITE_HOST}",
        "-s",
        str(script),
        url,
    ]
    return command + ["--", *script_args] if script_args else command


class Wrk:
    """wrk with our Lua scripts, written into `folder`."""

    def __init__(self, folder):
        self.done_script = folder / "done.lua"
        self.bust_script = folder / "bust.lua"
        self.walk_script = folder / "walk.lua"
        self.done_script.write_text(LUA_DONE)
        self.bust_script.write_text(LUA_BUST)
        self.walk_script.write_text(LUA_WALK)

    def command(self, base_url, page, connections, threads, seconds, paths_file=None):
        """wrk's command line; a walk page's requests come from `paths_file`."""
        url = base_url + page.path
        if paths_file is not None:
            walk = [str(paths_file), str(threads)]
            return wrk_command(url, threads, connections, seconds, self.walk_script, walk)
        if page.bust:
            salt = [secrets.token_hex(4)]
            return wrk_command(url, threads, connections, seconds, self.bust_script, salt)
        return wrk_command(url, threads, connections, seconds, self.done_script)

    def run(self, command, meter):
        """wrk's summary, and the server CPU it cost as CpuMeter.end() gives it."""
        output, cpu = run_metered(command, meter)
        return {**parse_wrk(output), **parse_walk(output)}, cpu


def run_metered(command, meter=None):
    """What wrk printed, and the server CPU it cost as CpuMeter.end() gives it (None unmetered)."""
    if meter is not None:
        meter.begin()
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while True:
        try:
            wrk.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            # Backends that exit mid-slice take their CPU time with them: read it often.
            if meter is not None:
                meter.poll()
    cpu = meter.end() if meter is not None else None
    output, errors = wrk.communicate()
    if wrk.returncode:
        raise SystemExit(f"wrk failed ({wrk.returncode}): {errors or output}")
    return output, cpu
