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

-- Base64 of a string, for etcd's JSON gateway, which takes keys and values in base64.
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = {}
    for k = 3, 0, -1 do
      local index = math.floor(n / 64 ^ k) % 64
      chars[#chars + 1] = alphabet:sub(index + 1, index + 1)
    end
    if not b then chars[3], chars[4] = "=", "=" elseif not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
end
