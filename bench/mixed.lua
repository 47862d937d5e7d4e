-- The mixed load of bench/run.py: each connection's thread sends ten reads of the page, then one
-- write (bench/views.py's rename), then ten reads again: the writes keep pace with the reads
-- served, whatever their speed.
local sent = 0

request = function()
  sent = sent + 1
  if sent % 11 == 0 then
    return wrk.format("POST", "/bench/rename/")
  end
  return wrk.format()
end
