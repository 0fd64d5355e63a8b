#!/usr/bin/env python
"""
User accounts through boto's high-level DynamoDB API (boto.dynamodb2.table.Table),
following the boto 2 DynamoDB v2 tutorial.

Written against boto 2.49 and DynamoDB Local: set DYNAMODB_HOST / DYNAMODB_PORT to
point it somewhere else.
"""
import os
import time
from decimal import Decimal

from boto.dynamodb2.fields import HashKey, RangeKey, AllIndex, GlobalAllIndex
from boto.dynamodb2.items import Item
from boto.dynamodb2.layer1 import DynamoDBConnection
from boto.dynamodb2.table import Table
from boto.dynamodb2.types import NUMBER


conn = DynamoDBConnection(
    host=os.environ.get('DYNAMODB_HOST', 'localhost'),
    port=int(os.environ.get('DYNAMODB_PORT', '8000')),
    aws_access_key_id='AKIDEXAMPLE',
    aws_secret_access_key='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    is_secure=False)

users = Table.create('legacy_users', schema=[
    HashKey('account_type'),
    RangeKey('last_name'),
], throughput={
    'read': 5,
    'write': 15,
}, indexes=[
    AllIndex('DateJoinedIndex', parts=[
        HashKey('account_type'),
        RangeKey('date_joined', data_type=NUMBER),
    ]),
], global_indexes=[
    GlobalAllIndex('EverythingIndex', parts=[
        HashKey('account'),
    ], throughput={
        'read': 1,
        'write': 1,
    }),
], connection=conn)

while users.describe()['Table']['TableStatus'] != 'ACTIVE':
    time.sleep(0.1)

# A fresh Table object learns the schema from DescribeTable.
assert Table('legacy_users', connection=conn).get_key_fields() == ['account_type', 'last_name']

users.put_item(data={
    'account_type': 'standard_user',
    'last_name': 'Doe',
    'first_name': 'John',
    'account': 'jdoe',
    'date_joined': 1384800000,
    'friends': set(['alice', 'bob']),
    'rating': Decimal('4.5'),
})

jane = Item(users, data={
    'account_type': 'standard_user',
    'last_name': 'Doering',
    'first_name': 'Jane',
    'account': 'jdoering',
    'date_joined': 1384900000,
})
assert jane.save() is True

john = users.get_item(account_type='standard_user', last_name='Doe')
assert john['first_name'] == 'John'
assert john['date_joined'] == 1384800000
assert isinstance(john['date_joined'], Decimal)
assert john['friends'] == set(['alice', 'bob'])
assert john['nickname'] is None
assert 'Doe' in list(john)  # iterating an Item yields its values

john['first_name'] = 'Johann'
john['whatever'] = 'man'
del john['rating']
assert john.needs_save()
assert john.partial_save() is True
assert john.save() is False  # nothing left to save

john = users.get_item(account_type='standard_user', last_name='Doe', consistent=True)
assert john['first_name'] == 'Johann'
assert john['whatever'] == 'man'
assert 'rating' not in john

assert users.has_item(account_type='standard_user', last_name='Doering')
assert not users.has_item(account_type='standard_user', last_name='Nobody')
assert users.lookup('standard_user', 'Doering')['first_name'] == 'Jane'

with users.batch_write() as batch:
    for i in range(30):
        batch.put_item(data={
            'account_type': 'guest',
            'last_name': 'Guest%02d' % i,
            'first_name': 'Guest',
            'account': 'guest%02d' % i,
            'date_joined': 1385000000 + i,
            'visits': i,
        })
    batch.delete_item(account_type='guest', last_name='Guest03')

assert users.query_count(account_type__eq='guest') == 29
assert users.query_count(account_type__eq='guest', last_name__beginswith='Guest0') == 9

doe_family = users.query_2(account_type__eq='standard_user', last_name__beginswith='Doe')
assert [user['first_name'] for user in doe_family] == ['Johann', 'Jane']

last_three = users.query_2(account_type__eq='guest', reverse=True, limit=3, max_page_size=2)
assert [user['last_name'] for user in last_three] == ['Guest29', 'Guest28', 'Guest27']

recent = users.query_2(
    account_type__eq='guest',
    date_joined__gte=1385000020,
    index='DateJoinedIndex',
    query_filter={'visits__lt': 25},
    attributes=['last_name', 'visits'],
)
assert [(u['last_name'], u['visits']) for u in recent] == [
    ('Guest20', 20), ('Guest21', 21), ('Guest22', 22), ('Guest23', 23), ('Guest24', 24)]

by_account = list(users.query_2(account__eq='jdoe', index='EverythingIndex'))
assert len(by_account) == 1 and by_account[0]['last_name'] == 'Doe'

busy = users.scan(visits__between=(10, 12))
assert sorted(u['last_name'] for u in busy) == ['Guest10', 'Guest11', 'Guest12']

js = users.scan(first_name__beginswith='J', account__in=['jdoe', 'jdoering', 'guest01'])
assert sorted(u['account'] for u in js) == ['jdoe', 'jdoering']

page_by_page = users.scan(account_type__eq='guest', max_page_size=7)
assert len(list(page_by_page)) == 29

many = users.batch_get(keys=[
    {'account_type': 'guest', 'last_name': 'Guest%02d' % i} for i in range(0, 30, 3)
] + [{'account_type': 'standard_user', 'last_name': 'Doe'}])
assert sorted(u['account'] for u in many) == [
    'guest00', 'guest06', 'guest09', 'guest12', 'guest15',
    'guest18', 'guest21', 'guest24', 'guest27', 'jdoe']

assert users.delete_item(account_type='guest', last_name='Guest00',
                         expected={'visits__eq': 99}) is False
assert users.delete_item(account_type='guest', last_name='Guest00',
                         expected={'visits__eq': 0}) is True
users.get_item(account_type='standard_user', last_name='Doering').delete()
assert users.query_count(account_type__eq='standard_user') == 1

assert users.delete() is True
print('OK')
