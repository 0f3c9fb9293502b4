"""The network: loketten, bonden, teams and members, clubs, users and accounts, API tokens, support offers."""
