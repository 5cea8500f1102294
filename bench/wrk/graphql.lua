-- wrk script: POST /graphql as many users, each request with one user's bearer token.
-- Arguments (after --): the Lua data file written by lib/workloads.mjs, and nothing else.
-- The data file gives the users {token, user id, id of one of their tasks, email}, the
-- request-body prefix of each operation, and the cumulative shares of the operations.
-- Every response is checked: a status outside 2xx, or a body with "errors", is counted and
-- the first one kept as a sample. done() prints one line: BENCH_RESULT {json}.

local UUID = "(" .. string.rep("%x", 8) .. "%-" .. string.rep("%x", 4) .. "%-" .. string.rep("%x", 4) .. "%-" ..
  string.rep("%x", 4) .. "%-" .. string.rep("%x", 12) .. ")"
local MAX_QUEUED_TASKS = 10000

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  table.insert(threads, thread)
end

local data, users, user_by_id, operations, prefixes
-- Tasks that createTask returned, deleted later by deleteTask with their owner's token.
local created = {}
local sequence = 0

function init(args)
  data = dofile(args[1])
  users = data.users
  operations = data.operations
  prefixes = data.prefixes
  user_by_id = {}
  for i, user in ipairs(users) do user_by_id[user[2]] = i end
  math.randomseed(os.time() * 100 + (thread_number or 0))
  responses = 0
  non_2xx = 0
  graphql_errors = 0
  sample = ""
end

local function post(token, body)
  local headers = { ["Content-Type"] = "application/json" }
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", wrk.path, headers, body)
end

local function pick_operation()
  local total = operations[#operations][2]
  local r = math.random() * total
  for _, entry in ipairs(operations) do
    if r < entry[2] then return entry[1] end
  end
  return operations[#operations][1]
end

function request()
  local operation = pick_operation()
  local user = users[math.random(#users)]
  sequence = sequence + 1
  if operation == "delete" then
    local item = table.remove(created)
    if item then
      return post(users[item[1]][1], prefixes.delete .. '{"id":"' .. item[2] .. '"}}')
    end
    operation = "create"
  end
  if operation == "create" then
    return post(user[1], prefixes.create .. '{"title":"bench task ' .. sequence .. '","ownerId":"' .. user[2] .. '"}}')
  elseif operation == "update" then
    local completed = math.random() < 0.5 and "true" or "false"
    return post(user[1], prefixes.update .. '{"id":"' .. user[3] .. '","completed":' .. completed .. '}}')
  elseif operation == "login" then
    return post(nil, prefixes.login .. '{"email":"' .. user[4] .. '","password":"' .. data.password .. '"}}')
  end
  return post(user[1], prefixes[operation] .. "{}}")
end

local function keep_sample(text)
  if sample == "" then sample = string.sub(text, 1, 300) end
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    keep_sample(status .. " " .. (body or ""))
    return
  end
  if string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    keep_sample(body)
    return
  end
  if string.find(body, '"createTask"', 1, true) and #created < MAX_QUEUED_TASKS then
    local task_id, owner_id = string.match(body, UUID .. ".-" .. UUID)
    local owner = owner_id and user_by_id[owner_id]
    if owner then table.insert(created, { owner, task_id }) end
  end
end

local function json_string(text)
  text = string.gsub(text, '[%c\\"]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" else return " " end
  end)
  return '"' .. text .. '"'
end

function done(summary, latency, requests)
  local checked, failed_status, failed_graphql, first_sample = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    checked = checked + (thread:get("responses") or 0)
    failed_status = failed_status + (thread:get("non_2xx") or 0)
    failed_graphql = failed_graphql + (thread:get("graphql_errors") or 0)
    local s = thread:get("sample")
    if first_sample == "" and s and s ~= "" then first_sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},' ..
    '"socketErrors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"checked":%d,"non2xx":%d,"graphqlErrors":%d,"sample":%s}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status,
    checked, failed_status, failed_graphql, json_string(first_sample)))
end
