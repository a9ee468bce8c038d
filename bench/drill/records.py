"""The drill's reads of the site's rows, in plain SQL on the scratch cluster."""

import psycopg


def query(url, sql, parameters=()):
    with psycopg.connect(url) as connection:
        return connection.execute(sql, parameters).fetchall()


def snapshot(url):
    """Ids of every article and subscription in the database now."""
    articles = {row[0] for row in query(url, "SELECT id FROM articles_article")}
    subscriptions = {row[0] for row in query(url, "SELECT id FROM newsletter_subscription")}
    return articles, subscriptions


def drill_addresses(run_id):
    """The LIKE pattern of every address this run's clients signed up."""
    return f"drill-{run_id}-%"


def lost_signups(url, run_id, acknowledged):
    """Acknowledged signups with no row."""
    found = {
        row[0].lower()
        for row in query(
            url,
            "SELECT email FROM newsletter_subscription WHERE email LIKE %s",
            [drill_addresses(run_id)],
        )
    }
    return [email for email in acknowledged if email.lower() not in found]


def unrecorded(url, run_id):
    """Drill addresses whose row records no confirmation mail sent."""
    return {
        row[0].lower()
        for row in query(
            url,
            "SELECT email FROM newsletter_subscription "
            "WHERE email LIKE %s AND confirmation_sent_at IS NULL",
            [drill_addresses(run_id)],
        )
    }
