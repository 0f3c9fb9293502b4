"""The network of people and organisations: loketten, bonden, teams and their members, clubs, users, accounts, passwords, API tokens and the support offer catalogue."""
