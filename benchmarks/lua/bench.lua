-- wrk script for `python -m benchmarks`: one thread per client, each with its own session.
--
-- Usage: wrk -t N -c N -s bench.lua URL -- PLAN.lua
-- PLAN.lua returns { method, marker, base_sequence, headers, clients = { { headers,
-- requests = { { path, body } ... } } ... } }. Thread i plays client i: it cycles through
-- that client's requests, with its cookies, and replaces "{sequence}" in a body with a
-- number that only grows (autosave refuses a change whose sequence is not above the last).
-- Only a 200 whose body holds the marker is counted as ok; anything else is bad.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  plan = dofile(args[1])
  client = plan.clients[((id - 1) % #plan.clients) + 1]
  headers = {}
  for name, value in pairs(plan.headers) do headers[name] = value end
  for name, value in pairs(client.headers) do headers[name] = value end
  sent = 0
  ok = 0
  bad = 0
  bad_status = ""
end

function request()
  local entry = client.requests[(sent % #client.requests) + 1]
  sent = sent + 1
  local body = nil
  if entry.body then
    body = string.gsub(entry.body, "{sequence}", tostring(plan.base_sequence + sent))
  end
  return wrk.format(plan.method, entry.path, headers, body)
end

function response(status, response_headers, body)
  if status == 200 and body and string.find(body, plan.marker, 1, true) then
    ok = ok + 1
  else
    bad = bad + 1
    if bad_status == "" then bad_status = tostring(status) end
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, first_bad = 0, 0, "-"
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    bad_total = bad_total + thread:get("bad")
    local status = thread:get("bad_status")
    if first_bad == "-" and status ~= "" then first_bad = status end
  end
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d ok=%d bad=%d connect=%d read=%d write=%d " ..
    "status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d first_bad=%s\n",
    summary.requests, summary.duration, ok_total, bad_total, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, first_bad))
end
