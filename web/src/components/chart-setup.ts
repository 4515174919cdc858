// ECharts, registered with the pieces the pages use. Imported lazily by
// EChart.vue so that the sign-in page does not load it.
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart, LineChart, MapChart, PieChart, TreeChart } from 'echarts/charts'
import {
  DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart, LineChart, PieChart, GaugeChart, FunnelChart, MapChart, TreeChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent,
  VisualMapComponent, CanvasRenderer,
])

export { echarts }
export type { EChartsCoreOption } from 'echarts/core'
