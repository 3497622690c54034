package dev.tpcbridge.coroutines

/**
 * Marks tpcbridge coroutine APIs that may still change shape: suspending send/receive, the coroutine client,
 * the Channel/Flow adapters and the core dispatcher start behind it.
 *
 * Opt in with `@OptIn(ExperimentalBridgeApi::class)`. Binary retention, so that the marker also guards callers
 * compiled against a published jar.
 */
@RequiresOptIn(
    message = "This tpcbridge coroutine API is experimental and may change.",
    level = RequiresOptIn.Level.WARNING,
)
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.TYPEALIAS,
    AnnotationTarget.CONSTRUCTOR,
)
@MustBeDocumented
public annotation class ExperimentalBridgeApi
