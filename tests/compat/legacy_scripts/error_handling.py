#!/usr/bin/env python
"""
Sessions with optimistic locking, and the errors boto 2 programs catch:
JSONResponseError, ItemNotFound, ConditionalCheckFailedException.

Connects with boto.dynamodb2.connect_to_region; DYNAMODB_HOST / DYNAMODB_PORT name a
local endpoint (DynamoDB Local, say).

The optimistic locking below is what boto 2.49 documents for Item.save() and
Item.partial_save(). boto 2.49 itself does not deliver it (it sends Expected entries
with Exists: true, which DynamoDB checks for existence only), so on boto 2.49 the stale
writes go through.
"""
import logging
import os
import sys
import time

import boto
import boto.dynamodb2
from boto.exception import JSONResponseError, BotoServerError
from boto.dynamodb2.exceptions import ConditionalCheckFailedException, ItemNotFound
from boto.dynamodb2.fields import HashKey
from boto.dynamodb2.table import Table


log = logging.getLogger('sessions')


def connect():
    conn = boto.dynamodb2.connect_to_region(
        'us-east-1',
        host=os.environ.get('DYNAMODB_HOST', 'localhost'),
        port=int(os.environ.get('DYNAMODB_PORT', '8000')),
        is_secure=False,
        aws_access_key_id='AKIDEXAMPLE',
        aws_secret_access_key='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')
    if conn is None:
        raise SystemExit('unknown region')
    return conn


def expect(exception_class, func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except exception_class as e:
        return e
    raise AssertionError('%s was not raised' % exception_class.__name__)


def main():
    boto.log.info('boto %s', boto.__version__)
    conn = connect()

    # A table that does not exist.
    error = expect(JSONResponseError, conn.describe_table, 'legacy_no_such_table')
    assert error.status == 400
    assert error.error_code == 'ResourceNotFoundException', error.error_code
    assert isinstance(error, BotoServerError)

    sessions = Table.create('legacy_sessions', schema=[HashKey('session_id')],
                            connection=conn)
    for _ in range(100):
        if sessions.describe()['Table']['TableStatus'] == 'ACTIVE':
            break
        time.sleep(0.1)

    expect(ItemNotFound, sessions.get_item, session_id='missing')

    sessions.put_item(data={'session_id': 'abc', 'user': 'john', 'hits': 1})

    # put_item refuses to replace an existing item unless told to.
    expect(ConditionalCheckFailedException, sessions.put_item,
           data={'session_id': 'abc', 'user': 'mallory'})
    assert sessions.get_item(session_id='abc')['user'] == 'john'

    # Optimistic locking: the second writer of a stale copy loses.
    first = sessions.get_item(session_id='abc')
    second = sessions.get_item(session_id='abc')
    first['hits'] = first['hits'] + 1
    assert first.save() is True
    second['hits'] = second['hits'] + 10
    error = expect(ConditionalCheckFailedException, second.save)
    assert isinstance(error, JSONResponseError)
    assert error.error_code == 'ConditionalCheckFailedException'
    assert sessions.get_item(session_id='abc', consistent=True)['hits'] == 2

    # ...unless it insists.
    assert second.save(overwrite=True) is True
    assert sessions.get_item(session_id='abc', consistent=True)['hits'] == 11

    # partial_save is checked against the values it changes.
    third = sessions.get_item(session_id='abc', consistent=True)
    fourth = sessions.get_item(session_id='abc', consistent=True)
    third['hits'] = 12
    assert third.partial_save() is True
    fourth['hits'] = 13
    expect(ConditionalCheckFailedException, fourth.partial_save)

    # Low-level calls raise the same classes.
    error = expect(ConditionalCheckFailedException, conn.put_item, 'legacy_sessions',
                   {'session_id': {'S': 'abc'}},
                   expected={'session_id': {'Exists': False}})
    assert error.status == 400

    # A bad request: an empty string in a key.
    error = expect(JSONResponseError, conn.put_item, 'legacy_sessions',
                   {'session_id': {'S': ''}})
    assert error.error_code == 'ValidationException', error.error_code

    # Conditional deletes report a failed condition as False.
    assert sessions.delete_item(session_id='abc', expected={'user__eq': 'nobody'}) is False
    assert sessions.delete_item(session_id='abc', expected={'user__eq': 'john'}) is True
    assert not sessions.has_item(session_id='abc')

    try:
        sessions.delete()
    except BotoServerError as e:
        log.error('could not delete the table: %s', e)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
