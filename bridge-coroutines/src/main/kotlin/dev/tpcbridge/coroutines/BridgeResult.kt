package dev.tpcbridge.coroutines

/**
 * The outcome of a non-suspending `trySend`/`tryReceive` (and of `receiveCatching`), as a value: success (with the
 * element for a receive), failure (full, or empty: try again later), or closed (with the close cause, if any). The
 * shape of kotlinx's `ChannelResult`, on this module's own type, so that nothing here depends on kotlinx internals.
 * An inline class: a success is the element itself, allocation-free.
 *
 * @param T the value of a success
 */
@JvmInline
public value class BridgeResult<out T> @PublishedApi internal constructor(@PublishedApi internal val holder: Any?) {
    /** Whether the operation succeeded. */
    public val isSuccess: Boolean get() = holder !is Failed

    /** Whether it failed: full or empty now ([isClosed] is a failure too). */
    public val isFailure: Boolean get() = holder is Failed

    /** Whether it failed because the channel is closed. */
    public val isClosed: Boolean get() = holder is Closed

    /** The value of a success, or null. */
    @Suppress("UNCHECKED_CAST")
    public fun getOrNull(): T? = if (holder !is Failed) holder as T else null

    /**
     * The value of a success.
     *
     * @throws IllegalStateException for a failure; the close cause (or [IllegalStateException]) for a closed result
     */
    @Suppress("UNCHECKED_CAST")
    public fun getOrThrow(): T {
        if (holder !is Failed) {
            return holder as T
        }
        if (holder is Closed && holder.cause != null) {
            throw holder.cause
        }
        error("trying to get a value from a failed result: $this")
    }

    /** The close cause of a closed result, or null. */
    public fun exceptionOrNull(): Throwable? = (holder as? Closed)?.cause

    override fun toString(): String = if (holder is Failed) holder.toString() else "Success($holder)"

    @PublishedApi
    internal open class Failed {
        override fun toString(): String = "Failed"
    }

    @PublishedApi
    internal class Closed(@JvmField val cause: Throwable?) : Failed() {
        override fun equals(other: Any?): Boolean = other is Closed && cause == other.cause
        override fun hashCode(): Int = cause.hashCode()
        override fun toString(): String = "Closed($cause)"
    }

    @PublishedApi
    internal companion object {
        private val FAILED = Failed()

        fun <E> success(value: E): BridgeResult<E> = BridgeResult(value)

        fun <E> failure(): BridgeResult<E> = BridgeResult(FAILED)

        fun <E> closed(cause: Throwable?): BridgeResult<E> = BridgeResult(Closed(cause))
    }
}

/** Runs [action] with the value of a success; returns this result. */
public inline fun <T> BridgeResult<T>.onSuccess(action: (value: T) -> Unit): BridgeResult<T> {
    if (holder !is BridgeResult.Failed) {
        @Suppress("UNCHECKED_CAST")
        action(holder as T)
    }
    return this
}

/** Runs [action] on a failure (closed included); returns this result. */
public inline fun <T> BridgeResult<T>.onFailure(action: (cause: Throwable?) -> Unit): BridgeResult<T> {
    if (holder is BridgeResult.Failed) {
        action(exceptionOrNull())
    }
    return this
}

/** Runs [action] on a closed result; returns this result. */
public inline fun <T> BridgeResult<T>.onClosed(action: (cause: Throwable?) -> Unit): BridgeResult<T> {
    if (holder is BridgeResult.Closed) {
        action(exceptionOrNull())
    }
    return this
}

/** The value of a success, or what [onFailure] gives for a failure (closed included). */
public inline fun <T> BridgeResult<T>.getOrElse(onFailure: (cause: Throwable?) -> T): T {
    @Suppress("UNCHECKED_CAST")
    return if (holder is BridgeResult.Failed) onFailure(exceptionOrNull()) else holder as T
}
