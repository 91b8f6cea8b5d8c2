-- Replaces the config maps fixed-0 .. fixed-($COUNT-1) of $NS in turn (unconditional PUT).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local base = "/api/v1/namespaces/" .. os.getenv("NS") .. "/configmaps/fixed-"
local count = tonumber(os.getenv("COUNT"))
request = function()
  local name = "fixed-" .. (next_id() % count)
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"' .. name ..
    '","labels":{"bench":"yes"}},"data":{"k":"' .. counter .. '"}}'
  return wrk.format("PUT", base .. (counter % count), headers, body)
end
