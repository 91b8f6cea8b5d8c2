-- Raw etcd puts through etcd's JSON gateway: new keys, the value a stored config map of the
-- size the API server writes ($VALUE_B64, already base64).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local value = os.getenv("VALUE_B64")
request = function()
  local key = base64("/bench/raw/" .. next_id())
  return wrk.format("POST", "/v3/kv/put", headers, '{"key":"' .. key .. '","value":"' .. value .. '"}')
end
