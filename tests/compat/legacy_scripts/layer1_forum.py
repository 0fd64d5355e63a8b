#!/usr/bin/env python
"""
Forum threads through boto's low-level DynamoDB API (boto.dynamodb2.layer1).

Written against boto 2.49 and DynamoDB Local: set DYNAMODB_HOST / DYNAMODB_PORT to
point it somewhere else.
"""
import os
import sys
import time

from boto.dynamodb2.layer1 import DynamoDBConnection
from boto.dynamodb2.exceptions import ConditionalCheckFailedException


TABLE_NAME = 'legacy_forum_threads'
FORUM = 'Amazon DynamoDB'


def get_connection():
    return DynamoDBConnection(
        host=os.environ.get('DYNAMODB_HOST', 'localhost'),
        port=int(os.environ.get('DYNAMODB_PORT', '8000')),
        aws_access_key_id='AKIDEXAMPLE',
        aws_secret_access_key='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        is_secure=False)


def wait_until_active(conn, table_name):
    for _ in range(100):
        description = conn.describe_table(table_name)
        if description['Table']['TableStatus'] == 'ACTIVE':
            return description
        time.sleep(0.1)
    raise Exception('table %s never became ACTIVE' % table_name)


def thread(subject, views, tags):
    return {
        'ForumName': {'S': FORUM},
        'Subject': {'S': subject},
        'Views': {'N': str(views)},
        'Tags': {'SS': tags},
    }


def main():
    conn = get_connection()

    conn.create_table(
        attribute_definitions=[
            {'AttributeName': 'ForumName', 'AttributeType': 'S'},
            {'AttributeName': 'Subject', 'AttributeType': 'S'},
        ],
        table_name=TABLE_NAME,
        key_schema=[
            {'AttributeName': 'ForumName', 'KeyType': 'HASH'},
            {'AttributeName': 'Subject', 'KeyType': 'RANGE'},
        ],
        provisioned_throughput={
            'ReadCapacityUnits': 5,
            'WriteCapacityUnits': 5,
        })
    description = wait_until_active(conn, TABLE_NAME)
    assert description['Table']['KeySchema'][0]['AttributeName'] == 'ForumName'
    assert TABLE_NAME in conn.list_tables()['TableNames']

    for i in range(1, 8):
        conn.put_item(TABLE_NAME, thread('Thread %d' % i, i * 10, ['boto', 'thread-%d' % i]))

    # Only create it if it isn't there yet.
    try:
        conn.put_item(TABLE_NAME, thread('Thread 1', 0, ['dupe']),
                      expected={'Subject': {'Exists': False}})
        raise Exception('the conditional put should have failed')
    except ConditionalCheckFailedException:
        pass

    result = conn.get_item(TABLE_NAME, {
        'ForumName': {'S': FORUM},
        'Subject': {'S': 'Thread 1'},
    }, consistent_read=True)
    assert result['Item']['Views'] == {'N': '10'}, result
    assert sorted(result['Item']['Tags']['SS']) == ['boto', 'thread-1']

    missing = conn.get_item(TABLE_NAME, {
        'ForumName': {'S': FORUM},
        'Subject': {'S': 'No such thread'},
    })
    assert 'Item' not in missing

    # Page through a query, two at a time.
    subjects = []
    start_key = None
    while True:
        kwargs = {}
        if start_key:
            kwargs['exclusive_start_key'] = start_key
        page = conn.query(TABLE_NAME, key_conditions={
            'ForumName': {
                'AttributeValueList': [{'S': FORUM}],
                'ComparisonOperator': 'EQ',
            },
            'Subject': {
                'AttributeValueList': [{'S': 'Thread 3'}],
                'ComparisonOperator': 'GE',
            },
        }, limit=2, **kwargs)
        subjects.extend(item['Subject']['S'] for item in page['Items'])
        start_key = page.get('LastEvaluatedKey')
        if not start_key:
            break
    assert subjects == ['Thread 3', 'Thread 4', 'Thread 5', 'Thread 6', 'Thread 7'], subjects

    newest_first = conn.query(TABLE_NAME, key_conditions={
        'ForumName': {
            'AttributeValueList': [{'S': FORUM}],
            'ComparisonOperator': 'EQ',
        },
    }, scan_index_forward=False, limit=1)
    assert newest_first['Items'][0]['Subject'] == {'S': 'Thread 7'}

    popular = conn.scan(TABLE_NAME, scan_filter={
        'Views': {
            'AttributeValueList': [{'N': '40'}],
            'ComparisonOperator': 'GT',
        },
    })
    assert sorted(int(i['Views']['N']) for i in popular['Items']) == [50, 60, 70]

    updated = conn.update_item(TABLE_NAME, {
        'ForumName': {'S': FORUM},
        'Subject': {'S': 'Thread 2'},
    }, attribute_updates={
        'Views': {'Action': 'ADD', 'Value': {'N': '1'}},
        'LastPostedBy': {'Action': 'PUT', 'Value': {'S': 'alice@example.com'}},
    }, return_values='ALL_NEW')
    assert updated['Attributes']['Views'] == {'N': '21'}, updated
    assert updated['Attributes']['LastPostedBy'] == {'S': 'alice@example.com'}

    conn.delete_item(TABLE_NAME, {
        'ForumName': {'S': FORUM},
        'Subject': {'S': 'Thread 7'},
    }, expected={'Views': {'Value': {'N': '70'}}})
    count = conn.scan(TABLE_NAME, select='COUNT')['Count']
    assert count == 6, count

    conn.delete_table(TABLE_NAME)
    print('OK')


if __name__ == '__main__':
    sys.exit(main())
