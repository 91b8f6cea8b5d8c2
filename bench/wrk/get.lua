-- Reads the config maps fixed-0 .. fixed-($COUNT-1) of $NS in turn.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local base = "/api/v1/namespaces/" .. os.getenv("NS") .. "/configmaps/fixed-"
local count = tonumber(os.getenv("COUNT"))
request = function() return wrk.format("GET", base .. (next_id() % count), headers) end
