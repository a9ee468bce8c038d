"""The readers: wrk with a Lua script that paces requests and spreads them as real traffic is."""

import json
import math

from bench.pages.wrk import run_metered, wrk_command

# Latency percentiles done() reports, fine enough to merge phases into one p50 and p99. Not
# 100: wrk's percentile(100) is 0.
QUANTILES = [n / 2 for n in range(1, 195)] + [round(97 + n / 10, 1) for n in range(1, 30)]

# wrk gives every thread a Lua state of its own; setup() and done() run in its main one, which
# reads each thread's counters by thread:get().
LUA_READERS = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } workload_timespec;
int clock_gettime(int clock_id, workload_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("workload_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

-- args: articles file (rank 1 first), sections file, this thread's requests per second,
-- Zipf exponent, home share, section share, seed, and how many requests a thread draws
-- (0: no end; past it, the home page, a hit: the warm-up replays the measured stream).
function init(args)
  articles = read_lines(args[1])
  sections = read_lines(args[2])
  interval_ms = 1000 / tonumber(args[3])
  local exponent = tonumber(args[4])
  home_share = tonumber(args[5])
  section_share = tonumber(args[6])
  math.randomseed(tonumber(args[7]) * 1000 + thread_id)
  limit = tonumber(args[8] or "0")
  drawn = 0
  cdf = {}
  local total = 0
  for rank = 1, #articles do
    total = total + rank ^ -exponent
    cdf[rank] = total
  end
  for rank = 1, #articles do cdf[rank] = cdf[rank] / total end
  hits, misses, uncached = 0, 0, 0
  next_at = nil
end

local function zipf_rank()
  local u = math.random()
  local low, high = 1, #cdf
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cdf[middle] < u then low = middle + 1 else high = middle end
  end
  return low
end

function request()
  drawn = drawn + 1
  if limit > 0 and drawn > limit then return wrk.format(nil, "/") end
  local u = math.random()
  local path
  if u < home_share then
    path = "/"
  elseif u < home_share + section_share then
    path = sections[math.random(#sections)]
  else
    path = articles[zipf_rank()]
  end
  return wrk.format(nil, path)
end

-- Each connection, when free, takes the thread's next slot, one every interval: the offered
-- rate holds whatever the server does. A thread that fell behind (every connection busy)
-- starts again from now rather than catching up in a burst.
function delay()
  local now = now_ms()
  if next_at == nil or next_at < now then next_at = now end
  local wait = next_at - now
  next_at = next_at + interval_ms
  return math.floor(wait)
end

function response(status, headers, body)
  local outcome = headers["X-Page-Cache"]
  if outcome == "hit" then
    hits = hits + 1
  elseif outcome == "miss" then
    misses = misses + 1
  else
    uncached = uncached + 1
  end
  -- A replay ends once its stream has been answered.
  if limit > 0 and hits + misses + uncached >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local hits, misses, uncached = 0, 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + thread:get("hits")
    misses = misses + thread:get("misses")
    uncached = uncached + thread:get("uncached")
  end
  local e = summary.errors
  io.write(string.format(
    "WORKLOAD {\"requests\": %d, \"duration_us\": %d, \"hits\": %d, \"misses\": %d, " ..
    "\"uncached\": %d, \"socket_errors\": %d, \"status_errors\": %d}\n",
    summary.requests, summary.duration, hits, misses, uncached,
    e.connect + e.read + e.write + e.timeout, e.status))
  local points = {}
  for _, p in ipairs({QUANTILES}) do
    points[#points + 1] = string.format("[%g, %d]", p, latency:percentile(p))
  end
  io.write("QUANTILES [" .. table.concat(points, ", ") .. "]\n")
end
""".replace("{QUANTILES}", "{" + ", ".join(f"{p:g}" for p in QUANTILES) + "}")


def parse_readers(output):
    """What done() printed: counts, seconds and the latency quantiles [(percent, ms)]."""
    summary = quantiles = None
    for line in output.splitlines():
        if line.startswith("WORKLOAD "):
            summary = json.loads(line.removeprefix("WORKLOAD "))
        elif line.startswith("QUANTILES "):
            quantiles = json.loads(line.removeprefix("QUANTILES "))
    if summary is None or quantiles is None:
        raise ValueError(f"wrk printed no workload summary:\n{output}")
    summary["seconds"] = summary.pop("duration_us") / 1e6
    # wrk reports 0 for percentiles of nothing: no request is not a fast one.
    summary["quantiles"] = (
        [(percent, us / 1000) for percent, us in quantiles] if summary["requests"] else []
    )
    return summary


def quantile(quantiles, percent):
    """The latency at `percent` from done()'s quantiles; NaN when nothing was measured."""
    return next((ms for p, ms in quantiles if p == percent), math.nan)


class Readers:
    """wrk driving the readers' traffic; its Lua script and the lists it reads in `folder`."""

    def __init__(self, folder, site, args):
        self.script = folder / "readers.lua"
        self.script.write_text(LUA_READERS)
        self.site = site
        self.args = args

    def command(self, base_url, seconds, seed, rate=None, limit=0):
        args = self.args
        rate = rate or args.rate
        script_args = [
            str(self.site.articles_file),
            str(self.site.sections_file),
            f"{rate / args.threads:g}",
            f"{args.zipf:g}",
            f"{args.home_share:g}",
            f"{args.section_share:g}",
            str(seed),
            str(limit),
        ]
        return wrk_command(
            base_url + "/", args.threads, args.connections, seconds, self.script, script_args
        )

    def run(self, base_url, seconds, seed, meter=None):
        """done()'s summary and the server CPU it cost (None without a meter)."""
        output, cpu = run_metered(self.command(base_url, seconds, seed), meter)
        return parse_readers(output), cpu

    def replay(self, base_url, seconds, seed, requests):
        """The first `requests` of the stream `seed` as fast as the server answers, within
        `seconds`: done()'s summary."""
        per_thread = math.ceil(requests / self.args.threads)
        command = self.command(base_url, seconds, seed, rate=1e9, limit=per_thread)
        output, _ = run_metered(command, None)
        return parse_readers(output)
