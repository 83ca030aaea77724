// nats-wasm/jetstream: JetStream with nats.js v3 (@nats-io/jetstream) names.
export { jetstream, jetstreamManager, JetStreamClientImpl } from './client.mjs';
export { JetStreamManagerImpl, ListerImpl } from './manager.mjs';
export { StoredMsgImpl } from './stored_msg.mjs';
export {
  AckPolicy, AdvisoryKind, DeliverPolicy, DiscardPolicy, DirectMsgHeaders, JetStreamApiCodes, JsHeaders, PubHeaders,
  RepublishHeaders, ReplayPolicy, RetentionPolicy, StorageType, StoreCompression, millis, nanos,
} from './types.mjs';
export {
  ConsumerNotFoundError, InvalidNameError, JetStreamApiError, JetStreamError, JetStreamNotEnabled,
  JetStreamStatusError, StreamNotFoundError,
} from '../errors.mjs';
export {
  PARTITION_KEY_HEADER, TopicProducer, consumerGroups, createConsumerGroup, createTopic,
  deleteConsumerGroup, multiPartitionConsumer, partitionConsumer, partitionCount, partitionFor,
  partitionSubject, topicConfig, topicProducer, topicSubjects,
} from './partitions.mjs';
export {
  ConsumersImpl, OrderedConsumerImpl, PullConsumerImpl, isPullConsumer, isPushConsumer,
} from './consumer.mjs';
export { ConsumerMessagesImpl } from './consumer_messages.mjs';
export { OrderedPushConsumerImpl, PushConsumerImpl } from './push_consumer.mjs';
export { JsMsgImpl } from './jsmsg.mjs';
export { Offset } from './offset.mjs';
