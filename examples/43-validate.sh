# Predicted against published step times (Narayanan 2021 Table 1; Korthikanti 2022
# Table 5), with one set of DGX A100 efficiencies for every case.
run validate
