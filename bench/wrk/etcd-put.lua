-- Raw etcd puts through etcd's JSON gateway: new keys, the value a stored config map of the
-- size the API server writes ($VALUE_B64, already base64).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local value = os.getenv("VALUE_B64")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(s)
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
request = function()
  local key = base64("/bench/raw/" .. next_id())
  return wrk.format("POST", "/v3/kv/put", headers, '{"key":"' .. key .. '","value":"' .. value .. '"}')
end
