-- Raw etcd creates through etcd's JSON gateway: the transaction the etcd backend sends for a
-- create (put a new key only if it does not exist), with a stored config map's value
-- ($VALUE_B64, already base64).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local value = os.getenv("VALUE_B64")
request = function()
  local key = base64("/bench/txn/" .. next_id())
  return wrk.format("POST", "/v3/kv/txn", headers,
    '{"compare":[{"key":"' .. key .. '","target":"CREATE","result":"EQUAL","create_revision":"0"}],' ..
    '"success":[{"request_put":{"key":"' .. key .. '","value":"' .. value .. '"}}]}')
end
