-- wrk script: each request reports progress on one action of the programme, through the JSON
-- API, rotating over the action codes in BENCH_CODES (comma separated). Counts the 201s.
-- Writes stop after BENCH_WRITE_SECONDS; for the rest of the run each connection only reads the
-- OpenAPI document, so every write sent has been answered when wrk stops, and the number of 201s
-- can be compared exactly with the rows in the database.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local function now()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end
local write_seconds = tonumber(os.getenv("BENCH_WRITE_SECONDS") or "6")
local year = os.getenv("BENCH_YEAR") or "2024"
local key = os.getenv("BENCH_API_KEY")
local date = os.getenv("BENCH_DATE")
local codes = {}
for code in string.gmatch(os.getenv("BENCH_CODES") or "", "[^,]+") do
  codes[#codes + 1] = code
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  n = id * 7919
  deadline = now() + write_seconds
  created = 0
  other = 0
  body = '{"status":"op_schema","toelichting":"Meting van de benchmark","bestedeUren":1,"datum":"' .. date .. '"}'
  headers = {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
end

function request()
  if now() >= deadline then
    return wrk.format("GET", "/api/v1/openapi.json")
  end
  n = n + 1
  local code = codes[(n % #codes) + 1]
  return wrk.format("POST", "/api/v1/programmas/" .. year .. "/acties/" .. code .. "/voortgang", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status ~= 200 then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
  end
  io.write(string.format("CREATED %d\nOTHER %d\n", c, o))
end
