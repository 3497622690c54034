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
    private val listener = PressureListener { _, _ -> mutable.value = controller.pressure() }

    init {
        controller.addListener(listener)
        mutable.value = controller.pressure() // a transition before the listener was added is not missed
    }

    val state: StateFlow<PressureState> = mutable.asStateFlow()

    override fun close() {
        controller.removeListener(listener)
    }
}
