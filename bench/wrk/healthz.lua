-- Baseline: the cheapest authenticated request the API server answers.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
request = function() return wrk.format("GET", "/healthz", headers) end
