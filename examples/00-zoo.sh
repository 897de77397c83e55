# The zoos: every model and cluster memwall knows by name.
run models
run clusters
