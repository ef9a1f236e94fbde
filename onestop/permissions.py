"""Who may work the desk floor, asked through Django's object permissions.

The floor does not know the user model or its roles (they live in the accounts app, above this
one). It asks `user.has_perm(PERMISSION, desk)`; the accounts app's scope backend answers from
the user's role, desk and unit. Active superusers have every permission (Django's rule).
"""

# Operate the desk's counters and kiosk devices (its clerks and its head).
OPERATE_DESK = "onestop.operate_desk"
# See the desk's queue figures (its head, leaders of its unit or above).
VIEW_DESK_FIGURES = "onestop.view_desk_figures"
