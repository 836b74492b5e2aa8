-- wrk script for the intake benchmark (scripts/bench-system): every request is a new submission
-- (POST /v1/tenants/TENANT/requests) of a new employee, so that none collides with an open request
-- of the same employee (409), with its own Idempotency-Key, as a portal would send.
--   wrk -c 8 -t 2 -d 10s -s scripts/bench/submit.lua URL -- TENANT KEY PREFIX START_DATE END_DATE
-- done() prints one JSON line: requests, duration, errors and latency percentiles (µs).
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function init(args)
  tenant, key, prefix, start_date, end_date = args[1], args[2], args[3], args[4], args[5]
  path = "/v1/tenants/" .. tenant .. "/requests"
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}
end

function request()
  counter = counter + 1
  local tag = prefix .. "-" .. thread_id .. "-" .. counter
  headers["Idempotency-Key"] = tag
  local body = string.format([[{"employee": {"email": "emp-%s@example.edu", "name": "Pat Doe", "department": "physics",
"employee_class": "administrative", "exempt": true, "months_employed": 30, "last_rating": "meets_expectations",
"covered_by_collective_agreement": false}, "supervisor_email": "sup-%s@example.edu", "arrangement_type": "hybrid",
"remote_days_per_week": 2, "location": {"country": "US", "region": "MA"}, "start_date": "%s", "end_date": "%s",
"justification": "Lab work Mon-Wed, analysis at home.",
"attestations": {"no_regular_dependent_care": true, "free_from_distractions": true}}]], tag, tag, start_date, end_date)
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_status": %d, ' ..
    '"errors_timeout": %d, "latency_mean_us": %.1f, "latency_p50_us": %d, "latency_p90_us": %d, "latency_p99_us": %d, "latency_max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
