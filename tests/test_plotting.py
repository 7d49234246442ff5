"""Chinese labels render on a machine without system CJK fonts: any missing glyph fails.

Figures are drawn on the Agg canvas directly (no pyplot backend switch) inside
``warnings.simplefilter("error")``: matplotlib reports a character that no font in the list
has as ``UserWarning: Glyph ... missing from font(s) ...``, which then fails the test.  Every
test restores ``rcParams`` afterwards.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings

import matplotlib
import pandas as pd
import pytest
import seaborn as sns
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from crm_helpers import plotting
from crm_helpers.plotting import FONT_FAMILY, chinese_font_path, set_theme, use_chinese_font

ORDERS = pd.DataFrame(
    {
        "订单状态": ["等待买家付款", "买家已付款", "卖家已发货", "交易成功", "交易关闭"],
        "订单数": [3, 12, 40, 380, -25],
    }
)


@pytest.fixture(autouse=True)
def _strict(caplog):
    """Restore rcParams; turn warnings into errors; fail on matplotlib's font-not-found log."""
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("error")
        caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")
        yield
    font_logs = [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    assert not font_logs, font_logs


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _new_axes() -> tuple[Figure, matplotlib.axes.Axes]:
    fig = Figure(figsize=(7, 4), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _tick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]


def draw_samples() -> tuple[Figure, Figure]:
    """A seaborn bar chart and a plain matplotlib line chart, every text in Chinese."""
    set_theme(style="whitegrid")
    bar_fig, ax = _new_axes()
    sns.barplot(data=ORDERS, x="订单状态", y="订单数", hue="订单状态", legend=True, ax=ax)
    ax.set_title("各状态订单数（退款冲减为负数）")
    ax.set_xlabel("订单状态")
    ax.set_ylabel("订单数（笔）")
    ax.legend(title="图例：订单状态", fontsize="small")

    line_fig, ax = _new_axes()
    ax.plot([0, 1, 2, 3, 4], [12.5, -3.0, 8.0, -10.5, 4.0], marker="o", label="响应时间差（秒）")
    ax.axhline(0, color="grey", linewidth=0.8, label="目标线")
    ax.set_xticks([0, 1, 2, 3, 4], ["周一", "周二", "周三", "周四", "周五"])
    ax.set_title("双11 客服响应速度，与目标相比（负数 = 更快）")
    ax.set_xlabel("星期")
    ax.set_ylabel("比目标慢多少秒")
    ax.legend(title="图例")
    return bar_fig, line_fig


def test_font_resolves_to_the_shipped_file():
    use_chinese_font()
    prop = font_manager.FontProperties(family=FONT_FAMILY)
    assert font_manager.findfont(prop, fallback_to_default=False) == chinese_font_path()
    assert matplotlib.rcParams["font.family"] == ["sans-serif"]
    assert matplotlib.rcParams["font.sans-serif"] == [FONT_FAMILY, "DejaVu Sans"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_chinese_title_labels_ticks_and_legend_have_no_missing_glyph():
    for fig in draw_samples():
        assert _png(fig).startswith(b"\x89PNG")


def test_negative_numbers_use_a_plain_minus_sign():
    for fig in draw_samples():
        fig.canvas.draw()
        (ax,) = fig.axes
        texts = _tick_texts(ax)
        assert any(t.startswith("-") for t in texts), texts  # e.g. "-10" on the value axis
        assert not any("\N{MINUS SIGN}" in t for t in texts), texts


def test_set_theme_keeps_the_font_and_merges_rc():
    set_theme(style="ticks", palette="muted", rc={"figure.figsize": (4, 3), "font.sans-serif": ["Arial"]})
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (4, 3)
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["xtick.direction"] == "out"  # the "ticks" style really applied
    set_theme(font="serif")  # ignored: the Chinese font stays
    assert matplotlib.rcParams["font.family"] == ["sans-serif"]
    sns.set_theme()  # plain seaborn resets the font list ...
    assert matplotlib.rcParams["font.sans-serif"][0] != FONT_FAMILY
    set_theme()  # ... and ours restores it
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY
    assert use_chinese_font() == FONT_FAMILY  # repeated calls are harmless


def test_font_is_registered_once():
    use_chinese_font()
    use_chinese_font()
    ours = [f for f in font_manager.fontManager.ttflist if f.fname == chinese_font_path()]
    assert len(ours) == 1


def test_missing_font_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # import now fails
    with pytest.raises(ImportError, match="pip install pylopdf-fonts-zh-cn"):
        use_chinese_font()
    with pytest.raises(ImportError, match="中文字体包"):
        chinese_font_path()


def test_import_has_no_side_effect():
    code = """if True:
        import sys, matplotlib as mpl
        from matplotlib import font_manager
        before = dict(mpl.rcParams)
        n_fonts = len(font_manager.fontManager.ttflist)
        import crm_helpers.plotting
        assert "seaborn" not in sys.modules, "importing crm_helpers.plotting imported seaborn"
        assert dict(mpl.rcParams) == before, "importing crm_helpers.plotting changed rcParams"
        assert len(font_manager.fontManager.ttflist) == n_fonts, "importing registered a font"
    """
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_module_exports():
    assert set(plotting.__all__) == {
        "FONT_FAMILY",
        "bar_chart",
        "chinese_font_path",
        "labelled_scatter",
        "set_theme",
        "use_chinese_font",
    }


# ---- bar_chart and labelled_scatter ----------------------------------------------------------


def test_bar_chart_writes_percentages_and_highlights():
    import matplotlib

    matplotlib.use("agg")
    import pandas as pd

    values = pd.Series({"<10分钟": 0.3, "10分钟-6小时": 0.42, ">24小时": 0.17}, name="催付成功率")
    before = values.copy()
    ax = plotting.bar_chart(values, title="标题", xlabel="横轴", ylabel="纵轴", highlight=[">24小时"])
    assert [t.get_text() for t in ax.texts] == ["30%", "42%", "17%"]
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert colours[0] == colours[1] != colours[2]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("标题", "横轴", "纵轴")
    pd.testing.assert_series_equal(values, before)


def test_bar_chart_groups_a_frame_and_plain_numbers():
    import matplotlib

    matplotlib.use("agg")
    import pandas as pd

    frame = pd.DataFrame({"一般买家": [0.2, 0.4], "老买家": [0.3, 0.1]}, index=["不催付", "按表4.1"])
    ax = plotting.bar_chart(frame, title="t", xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.texts] == ["20%", "40%", "30%", "10%"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["一般买家", "老买家"]
    ax = plotting.bar_chart(pd.Series([1200.0, 35.0]), title="t", xlabel="x", ylabel="y", percent=False)
    assert [t.get_text() for t in ax.texts] == ["1,200", "35"]
    ax = plotting.bar_chart(pd.Series([3.5]), title="t", xlabel="x", ylabel="y", percent=False)
    assert [t.get_text() for t in ax.texts] == ["3.5"]


def test_chart_input_errors():
    import pandas as pd

    with pytest.raises(TypeError, match="应该是 pandas 的 Series 或 DataFrame"):
        plotting.bar_chart([0.1, 0.2], title="t", xlabel="x", ylabel="y")
    with pytest.raises(ValueError, match="是空的"):
        plotting.bar_chart(pd.Series([], dtype=float), title="t", xlabel="x", ylabel="y")
    with pytest.raises(TypeError, match="不是数字"):
        plotting.bar_chart(pd.Series(["a"]), title="t", xlabel="x", ylabel="y")
    with pytest.raises(ValueError, match="表格里没有列"):
        plotting.labelled_scatter(
            pd.DataFrame({"a": [1]}), x="a", y="b", label="a", title="t", xlabel="", ylabel=""
        )
    with pytest.raises(TypeError, match="应该是 pandas 的 DataFrame"):
        plotting.labelled_scatter([1], x="a", y="b", label="c", title="t", xlabel="", ylabel="")


def test_labelled_scatter_names_every_point():
    import matplotlib

    matplotlib.use("agg")
    import pandas as pd

    table = pd.DataFrame({"客服": ["小美", "阿强"], "秒": [28.0, 243.0], "率": [0.75, 0.52]})
    ax = plotting.labelled_scatter(table, x="秒", y="率", label="客服", title="t", xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.texts] == ["小美", "阿强"]
    assert [tuple(t.xy) for t in ax.texts] == [(28.0, 0.75), (243.0, 0.52)]


def test_bar_chart_horizontal_puts_the_values_along_x():
    import matplotlib.pyplot as plt
    import pandas as pd

    shares = pd.Series([0.25, 0.75], index=["甲", "乙"])
    ax = plotting.bar_chart(shares, title="标题", xlabel="比例", ylabel="主题", horizontal=True)
    assert [t.get_text() for t in ax.texts] == ["25%", "75%"] and ax.get_title() == "标题"
    assert [bar.get_width() for bar in ax.patches] == [0.25, 0.75]  # bars grow along x
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲", "乙"]
    assert ax.xaxis.get_major_formatter()(0.5, 0) == "50%"  # the value axis reads as percent
    counts = pd.Series([1200, 3], index=["甲", "乙"])
    ax = plotting.bar_chart(counts, title="t", xlabel="x", ylabel="y", percent=False, horizontal=True)
    assert [t.get_text() for t in ax.texts] == ["1,200", "3"]
    plt.close("all")


def test_labelled_scatter_keeps_close_names_apart():
    import matplotlib

    matplotlib.use("agg")
    import pandas as pd

    # 晓雯 and 小陈 almost touch: 晓雯's name goes to the left of her point, 小陈's to the right.
    table = pd.DataFrame(
        {"客服": ["晓雯", "小陈", "阿强"], "秒": [47.0, 53.5, 226.0], "率": [0.654, 0.657, 0.52]}
    )
    ax = plotting.labelled_scatter(table, x="秒", y="率", label="客服", title="t", xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.texts] == ["晓雯", "小陈", "阿强"]
    assert [t.get_horizontalalignment() for t in ax.texts] == ["right", "left", "left"]


def test_bar_chart_legend_sits_beside_the_bars():
    import matplotlib

    matplotlib.use("agg")
    import pandas as pd

    frame = pd.DataFrame({"g1": [0.2, 0.4], "g2": [0.3, 0.1]}, index=["a", "b"])
    ax = plotting.bar_chart(frame, title="t", xlabel="x", ylabel="y")
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 > ax.get_window_extent().x1  # right of the axes, over no bar
