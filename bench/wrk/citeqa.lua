-- wrk script for citeqa: counts responses by status class in every thread and prints one
-- machine-readable RESULT line at the end (bench/run.sh and bench/soak.sh parse it).
--   wrk -s bench/wrk/citeqa.lua URL -- healthz
--   wrk -s bench/wrk/citeqa.lua URL -- ask bench/questions.tsv
-- "ask" POSTs /api/ask with the questions of the mix file (id<TAB>kind<TAB>question), one
-- after another; "healthz" GETs /healthz.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == '\\' then return '\\\\' end
    return string.format('\\u%04x', c:byte())
  end) .. '"'
end

local bodies = {}
local next_body = 0

-- Globals (not locals) so that done() can read them from each thread with thread:get().
function init(args)
  responses = 0
  non2xx = 0
  mode = args[1] or "healthz"
  if mode == "ask" then
    local file = assert(io.open(args[2] or "bench/questions.tsv", "r"))
    for line in file:lines() do
      if line ~= "" and line:sub(1, 1) ~= "#" then
        local question = line:match("^[^\t]*\t[^\t]*\t(.*)$")
        if question then
          table.insert(bodies, '{"question": ' .. json_string(question) .. '}')
        end
      end
    end
    file:close()
    assert(#bodies > 0, "no questions in " .. (args[2] or "bench/questions.tsv"))
  end
end

function request()
  if mode == "ask" then
    next_body = next_body % #bodies + 1
    return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"},
                      bodies[next_body])
  end
  return wrk.format("GET", "/healthz")
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("responses")
    bad = bad + t:get("non2xx")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT mode=%s responses=%d non2xx=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    threads[1] and threads[1]:get("mode") or "?", total, bad, summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
