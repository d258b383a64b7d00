"""The permission grid: each page or endpoint tried as each kind of user.

A row is (user key, method, expected status); `None` as the user key is anonymous.
Pages answer an anonymous request with a redirect to the login page; the API with 401.
"""

from __future__ import annotations

from typing import Any

LOGIN = "login"


def request(client: Any, method: str, url: str, data: Any = None, *, api: bool = False) -> Any:
    call = getattr(client, method.lower())
    if api and data is not None:
        return call(url, data, format="json")
    if data is not None:
        return call(url, data)
    return call(url)


def check_grid(
    users: dict,
    make_client: Any,
    url: str,
    rows: list[tuple],
    *,
    api: bool = False,
    data: Any = None,
) -> None:
    failures = []
    for user_key, method, expected in rows:
        user = users[user_key] if user_key else None
        response = request(make_client(user), method, url, data, api=api)
        if expected == LOGIN:
            ok = response.status_code == 302 and "/login/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(
                f"{user_key or 'anonymous'} {method} {url}: got {response.status_code}, "
                f"expected {expected}"
            )
    assert not failures, "\n".join(failures)
