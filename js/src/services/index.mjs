// nats-wasm/services: NATS micro services with nats.js v3 (@nats-io/services)
// names, plus requestStream() for endpoints that stream their replies.
export { Service, ServiceGroup, ServiceResponseType, ServiceVerb, Svcm } from './service.mjs';
export { ServiceClient, requestStream } from './client.mjs';
export { ServiceError, ServiceErrorCodeHeader, ServiceErrorHeader, ServiceMsg } from './service_msg.mjs';
