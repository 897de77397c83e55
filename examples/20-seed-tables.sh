# The founding tables ("AI and Memory Wall"), every cell recomputed: seed value, memwall value,
# difference, and the cause of each erratum.
run table
