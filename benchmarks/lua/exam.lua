-- wrk script for the `exam` scenario of `python -m benchmarks`: each thread is a candidate
-- taking whole full mocks, one after the other (benchmarks/exam.py lists the steps).
--
-- Usage: wrk -t N -c N -s exam.lua URL -- PLAN.lua
-- PLAN.lua returns { base_sequence, headers = { GET = {...}, POST = {...} },
-- clients = { { headers, token } ... }, steps = { { kind, method, path, body, accept,
-- expect = { ["302"] = "...", ... }, capture } ... } }.
--
-- A step succeeds when its status is one it expects and a 200's body contains the expected
-- text, or a redirect's Location starts with it. The start's Location gives the attempt id
-- ("{attempt}" in later paths). "{sequence}" becomes a number that only grows, "{token}"
-- the client's CSRF token. A failed start is retried; a request that got no answer (socket
-- error, timeout) starts the mock over: the start resumes the attempt in progress.
--
-- Each thread times its whole mocks: from its first start to the answer of its last result
-- page. done() prints WRK_RESULT with the whole mocks, the sum of those windows, and the
-- attempts left open when the run stopped (the benchmark submits them).

local ok_ffi, ffi = pcall(require, "ffi")
local now
if ok_ffi then
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock_id, bench_timespec *tp);
  ]]
  local spec = ffi.new("bench_timespec[1]")
  now = function()
    ffi.C.clock_gettime(1, spec) -- CLOCK_MONOTONIC
    return tonumber(spec[0].tv_sec) + tonumber(spec[0].tv_nsec) / 1e9
  end
else
  now = os.time -- whole seconds: good enough only for long runs
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local function replace(text, slot, value)
  local first, last = string.find(text, slot, 1, true)
  while first do
    text = string.sub(text, 1, first - 1) .. value .. string.sub(text, last + 1)
    first, last = string.find(text, slot, first + #value, true)
  end
  return text
end

function init(args)
  plan = dofile(args[1])
  client = plan.clients[((id - 1) % #plan.clients) + 1]
  step_headers = {}
  for index, step in ipairs(plan.steps) do
    local merged = {}
    for name, value in pairs(plan.headers[step.method]) do merged[name] = value end
    for name, value in pairs(client.headers) do merged[name] = value end
    merged["Accept"] = step.accept
    step_headers[index] = merged
  end
  position = 1 -- the step to send next
  attempt = nil -- the current mock's attempt id (a string)
  awaiting = false -- a request was sent and its answer has not come
  sent = 0
  ok = 0
  bad = 0
  bad_status = ""
  mocks = 0
  first_start = 0
  last_done = 0
end

function request()
  if awaiting then
    -- The last request got no answer (wrk reconnected): take the mock from the start.
    position = 1
  end
  local step = plan.steps[position]
  sent = sent + 1
  if position == 1 and first_start == 0 then first_start = now() end
  local path = step.path
  if attempt then path = replace(path, "{attempt}", attempt) end
  local body = nil
  if step.body then
    body = replace(step.body, "{sequence}", tostring(plan.base_sequence + sent))
    body = replace(body, "{token}", client.token)
  end
  awaiting = true
  return wrk.format(step.method, path, step_headers[position], body)
end

local function header(headers, wanted)
  wanted = string.lower(wanted)
  for name, value in pairs(headers) do
    if string.lower(name) == wanted then return value end
  end
  return ""
end

function response(status, headers, body)
  awaiting = false
  local step = plan.steps[position]
  local wanted = step.expect[tostring(status)]
  local good = false
  if wanted then
    if attempt then wanted = replace(wanted, "{attempt}", attempt) end
    if status >= 300 and status < 400 then
      local location = header(headers, "Location")
      good = string.sub(location, 1, #wanted) == wanted
      if good and step.capture then
        local found = string.match(location, step.capture)
        if found then attempt = found else good = false end
      end
    else
      good = body ~= nil and string.find(body, wanted, 1, true) ~= nil
    end
  end
  if good then
    ok = ok + 1
  else
    bad = bad + 1
    if bad_status == "" then bad_status = tostring(status) .. "@" .. step.kind end
  end
  if position == 1 and not good then return end -- no attempt: start again
  if position == #plan.steps then
    if good then
      mocks = mocks + 1
      last_done = now()
    end
    position = 1
  else
    position = position + 1
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, first_bad = 0, 0, "-"
  local mocks_total, mock_seconds, mock_clients = 0, 0.0, 0
  local open = {}
  for index, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    bad_total = bad_total + thread:get("bad")
    local status = thread:get("bad_status")
    if first_bad == "-" and status ~= "" then first_bad = status end
    local done_mocks = thread:get("mocks")
    if done_mocks > 0 then
      mocks_total = mocks_total + done_mocks
      mock_seconds = mock_seconds + thread:get("last_done") - thread:get("first_start")
      mock_clients = mock_clients + 1
    end
    local at, current = thread:get("position"), thread:get("attempt")
    if at > 1 and current then
      table.insert(open, index .. ":" .. current)
    elseif thread:get("awaiting") then
      table.insert(open, index .. ":start") -- a start was on the wire: its attempt is unknown
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d ok=%d bad=%d connect=%d read=%d write=%d " ..
    "status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d first_bad=%s " ..
    "threads=%d mocks=%d mock_seconds=%.6f mock_clients=%d open=%s clock=%s\n",
    summary.requests, summary.duration, ok_total, bad_total, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, first_bad,
    #threads, mocks_total, mock_seconds, mock_clients,
    #open > 0 and table.concat(open, ",") or "-", ok_ffi and "ffi" or "os"))
end
