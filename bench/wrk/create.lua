-- Creates config maps with generated names in $NS.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local path = "/api/v1/namespaces/" .. os.getenv("NS") .. "/configmaps"
local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"cm-","labels":{"bench":"yes"}},"data":{"k":"v"}}'
request = function() return wrk.format("POST", path, headers, body) end
