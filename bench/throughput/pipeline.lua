-- pipeline.lua - wrk script: 16 GET / requests in one write (wrk counts
-- every response).  wrk -s pipeline.lua URL
init = function(args)
   local r = {}
   for i = 1, 16 do
      r[i] = wrk.format("GET", "/")
   end
   req = table.concat(r)
end

request = function()
   return req
end
