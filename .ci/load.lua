-- A mix of the portal's pages for wrk, with a signed-in session; counts every status other than
-- 200 across all threads and reports it at the end.
local paths = {
  "/", "/partners/", "/partners/?q=bialy", "/partners/medical-university-of-bialystok/",
  "/agreements/", "/programs/", "/applications/", "/review/", "/reports/",
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  cookie = os.getenv("WRK_COOKIE")
  counter = 0
  bad = 0
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
  end
  io.write(string.format("p50 %.1f ms, p99 %.1f ms, %d requests, %d errors, %d statuses other than 200\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    total_bad))
  if total_bad > 0 then os.exit(1) end
end
