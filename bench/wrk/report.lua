-- Shared by every wrk script of the benchmark: prints one JSON line with the phase's figures.
done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"per_second":%.0f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status + e.connect + e.read + e.write + e.timeout))
end

-- Authorization for the API server; empty for raw etcd.
local token = os.getenv("TOKEN") or ""
headers = { ["Content-Type"] = "application/json" }
if token ~= "" then headers["Authorization"] = "Bearer " .. token end

-- A per-thread counter that starts at a random place, so threads do not collide.
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
counter = math.random(0, 1e9)
function next_id()
  counter = counter + 1
  return counter
end
