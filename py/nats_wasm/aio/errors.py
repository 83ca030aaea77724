"""``nats.aio.errors``: the nats.py 1.x names some programs still catch,
as aliases of the :mod:`nats_wasm.errors` classes (so ``except ErrTimeout``
catches what ``except TimeoutError`` does)."""

from .. import errors

NatsError = errors.Error
ErrConnectionClosed = errors.ConnectionClosedError
ErrDrainTimeout = errors.DrainTimeoutError
ErrInvalidUserCredentials = errors.InvalidUserCredentialsError
ErrInvalidCallbackType = errors.InvalidCallbackTypeError
ErrConnectionReconnecting = errors.ConnectionReconnectingError
ErrConnectionDraining = errors.ConnectionDrainingError
ErrMaxPayload = errors.MaxPayloadError
ErrStaleConnection = errors.StaleConnectionError
ErrJsonParse = errors.ProtocolError
ErrBadSubscription = errors.BadSubscriptionError
ErrBadSubject = errors.BadSubjectError
ErrSlowConsumer = errors.SlowConsumerError
ErrTimeout = errors.TimeoutError
ErrBadTimeout = errors.BadTimeoutError
ErrAuthorization = errors.AuthorizationError
ErrNoServers = errors.NoServersError
