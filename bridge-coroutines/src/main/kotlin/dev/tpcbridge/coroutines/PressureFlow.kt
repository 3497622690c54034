package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.BackpressureController
import dev.tpcbridge.backpressure.PressureListener
import dev.tpcbridge.backpressure.PressureState
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * A controller's state as a conflated [StateFlow], fed by a listener (on whichever thread makes the transition)
 * until [close]. Shared by the coroutine client and the endpoint.
 */
internal class PressureFlow(private val controller: BackpressureController) : AutoCloseable {
    private val mutable = MutableStateFlow(controller.pressure())
    private val listener = PressureListener { _, _ -> refresh() }

    init {
        controller.addListener(listener)
        refresh() // a transition before the listener was added is not missed
    }

    /**
     * Publishes the controller's state. Listeners run on whichever thread makes a transition, possibly two at once:
     * a thread that read a state and was overtaken re-reads after its write and writes again until the two agree, so
     * the flow never ends on a stale state.
     */
    private fun refresh() {
        var state = controller.pressure()
        while (true) {
            mutable.value = state
            val now = controller.pressure()
            if (now == state) {
                return
            }
            state = now
        }
    }

    val state: StateFlow<PressureState> = mutable.asStateFlow()

    override fun close() {
        controller.removeListener(listener)
    }
}
