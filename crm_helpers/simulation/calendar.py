"""The calendar: how busy each hour of the period is, and what each day changes.

Orders, inquiries and browsing are drawn through the calendar's hourly weights: the daily
and weekly rhythm (:class:`~crm_helpers.patterns.RhythmPattern`) times the promotions
(:class:`~crm_helpers.patterns.PromotionPattern`: 双11, 618 …).  Promotions also change
prices, response times and shipping on their days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..patterns import PromotionPattern, RhythmPattern
from ._draws import DAY, HOUR

__all__ = ["Calendar", "build_calendar"]


@dataclass(frozen=True, eq=False)
class Calendar:
    """The simulated period, hour by hour.

    Attributes
    ----------
    start : pandas.Timestamp
        Midnight of the first day.
    days : int
        Length of the period.
    end : int
        End of the period in seconds after ``start`` ("now" for the shop).
    slot_weights : numpy.ndarray
        Relative busyness of every hour of the period (``days × 24`` values).
    slot_cdf : numpy.ndarray
        Cumulative ``slot_weights``, starting at 0 (``days × 24 + 1`` values).
    price_factor, service_load, shipping_delay_factor : numpy.ndarray
        One value a day: prices × ``price_factor``, response times × ``service_load``, time
        to ship an order paid that day × ``shipping_delay_factor``.
    stock_up_day : numpy.ndarray
        One value a day: the festival day a cycle order due that day is pulled to (囤货), -1 for none.
    """

    start: pd.Timestamp
    days: int
    end: int
    slot_weights: np.ndarray
    slot_cdf: np.ndarray
    price_factor: np.ndarray
    service_load: np.ndarray
    shipping_delay_factor: np.ndarray
    stock_up_day: np.ndarray

    def day_of(self, t: np.ndarray) -> np.ndarray:
        """Day index (0 … days-1) of each time, clipped to the period."""
        return np.clip(t // DAY, 0, self.days - 1)

    def times_at(self, u: np.ndarray) -> np.ndarray:
        """Seconds at which the calendar's cumulative weight reaches ``u`` (inverse CDF)."""
        slot = np.clip(np.searchsorted(self.slot_cdf, u, side="right") - 1, 0, len(self.slot_weights) - 1)
        return (slot * HOUR + (u - self.slot_cdf[slot]) / self.slot_weights[slot] * HOUR).astype(np.int64)

    def sample_times(self, rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Seconds in ``[low, high)`` following the shop's daily, weekly and promotion rhythm."""
        lo, hi = self._cdf_at(np.asarray(low)), self._cdf_at(np.asarray(high))
        t = self.times_at(lo + rng.random(len(lo)) * (hi - lo))
        return np.clip(t, low, np.maximum(np.asarray(high) - 1, low))

    def _cdf_at(self, t: np.ndarray) -> np.ndarray:
        t = np.clip(t, 0, self.end)
        slot = np.minimum(t // HOUR, len(self.slot_weights) - 1)
        return self.slot_cdf[slot] + (t - slot * HOUR) / HOUR * self.slot_weights[slot]


def build_calendar(
    start: pd.Timestamp, days: int, rhythm: RhythmPattern, promotions: PromotionPattern
) -> Calendar:
    """The hourly weights and daily factors of ``days`` days from ``start``.

    Parameters
    ----------
    start : pandas.Timestamp
        Midnight of the first day.
    days : int
        Length of the period.
    rhythm : RhythmPattern
        Weights of the hours of the day and the days of the week.
    promotions : PromotionPattern
        The festivals and their effects.

    Returns
    -------
    Calendar
        The calendar.
    """
    dates = pd.date_range(start, periods=days, freq="D")
    month, day = dates.month.to_numpy(), dates.day.to_numpy()
    day_weights = np.array(rhythm.weekday_weights)[dates.day_of_week.to_numpy()]
    price_factor = np.ones(days)
    service_load = np.ones(days)
    shipping = np.ones(days)
    midnight = np.ones(days)
    stock_up_day = np.full(days, -1, np.int64)
    for promotion in promotions.promotions:
        on = (month == promotion.month) & (day >= promotion.first_day) & (day <= promotion.last_day)
        day_weights[on] *= promotion.order_factor
        price_factor[on] *= promotion.price_factor
        service_load[on] *= promotion.service_load
        midnight[on] *= promotion.midnight_rush
        on_or_day_after = on.copy()
        on_or_day_after[1:] |= on[:-1]  # orders paid late on the day ship the next day
        shipping[on_or_day_after] *= promotion.shipping_delay_factor
        for festival in np.flatnonzero(on)[::-1] if promotion.stock_up_days else ():
            after = stock_up_day[festival + 1 : festival + 1 + promotion.stock_up_days]
            after[after < 0] = festival
    slot = day_weights[:, None] * np.array(rhythm.hour_weights)[None, :]
    slot[:, 0] *= midnight  # 零点抢购
    slot_weights = slot.ravel()
    return Calendar(
        start=start,
        days=days,
        end=days * DAY,
        slot_weights=slot_weights,
        slot_cdf=np.concatenate([[0.0], np.cumsum(slot_weights)]),
        price_factor=price_factor,
        service_load=service_load,
        shipping_delay_factor=shipping,
        stock_up_day=stock_up_day,
    )
